using ScienceOfDL.Ccs.Data;
using ScienceOfDL.LanguageModels;
using static TorchSharp.torch;

namespace ScienceOfDL.Tests.LanguageModels;

/// <summary>Several token positions from one forward pass, the answer's own tokens, and the CPU batch split.</summary>
public class TokenPositionsTests
{
    static readonly TokenPosition[] All = Enum.GetValues<TokenPosition>();

    /// <summary>Prompts of mixed lengths whose answers are single words at the end, mid-text, or several tokens
    /// long.</summary>
    static (string[] Texts, AnswerSpan[] Answers) Prompts()
    {
        (string Stem, string Answer, string Suffix)[] parts =
        [
            ("The film was a delight from start to finish.\nThe sentiment of this review is", " positive", ""),
            ("Boring.\nThe sentiment of this review is", " negative", ""),
            ("Is this about a company or an athlete?\nAnswer:", " educational institution", ""),
            ("Paris is a city in France. True or false?", " True", ". Banana"),
            ("Q: Is the sky green? A:", " No", ""),
        ];
        return (
            parts.Select(p => p.Stem + p.Answer + p.Suffix).ToArray(),
            parts.Select(p => new AnswerSpan(p.Stem.Length, p.Answer.Length)).ToArray()
        );
    }

    [Fact]
    public void Every_position_from_one_pass_equals_asking_for_each_alone()
    {
        using var model = (LanguageModel)MiniLm.Load(CPU);
        var (texts, answers) = Prompts();
        using var all = model.HiddenStates(texts, All, answers, batchSize: 3);
        Assert.Equal([5L, texts.Length, 7, 384], all.shape);
        for (var p = 0; p < All.Length; p++)
        {
            using var alone = model.HiddenStates(texts, [All[p]], answers, batchSize: 2);
            Assert.True(all[p].allclose(alone[0], rtol: 1e-5, atol: 1e-6), $"{All[p]}");
        }
        // The five positions are different readings of the text.
        for (var p = 1; p < All.Length; p++)
            Assert.False(all[0].allclose(all[p], rtol: 1e-3, atol: 1e-3), $"{All[p]} = {All[0]}");
    }

    [Fact]
    public void Answer_position_is_the_mean_of_the_answer_tokens_of_the_raw_forward_pass()
    {
        using var model = (LanguageModel)MiniLm.Load(CPU);
        var tokenizer = MiniLm.LoadTokenizer();
        var (texts, answers) = Prompts();
        using var states = model.HiddenStates(texts, [TokenPosition.Answer], answers);
        using var encoder = MiniLm.LoadEncoder(CPU);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        for (var i = 0; i < texts.Length; i++)
        {
            var ids = model.Encode(texts[i]);
            var (start, end) = model.AnswerTokens(texts[i], answers[i]);
            // The indices point at the answer's own word pieces...
            var answerText = texts[i].Substring(answers[i].Start, answers[i].Length);
            Assert.Equal(tokenizer.EncodeWithoutSpecials(answerText), ids[start..end]);
            // ...and the pooled state is their mean at every layer.
            var (input, mask) = model.Pad([ids]);
            var layers = stack(encoder.Forward(input, mask), dim: 0)[.., 0]; // [7, tokens, 384]
            Assert.True(states[0, i].allclose(layers[.., start..end].mean([1]), rtol: 1e-4, atol: 1e-5), texts[i]);
        }
        var (s, e) = model.AnswerTokens(texts[2], answers[2]);
        Assert.Equal(2, e - s); // "educational institution"
    }

    [Fact]
    public void Last_text_is_the_token_before_sep_for_bert_and_the_last_token_for_gpt2()
    {
        using var model = (LanguageModel)MiniLm.Load(CPU);
        var (texts, answers) = Prompts();
        using var states = model.HiddenStates(texts, [TokenPosition.LastText, TokenPosition.Last], answers);
        using var encoder = MiniLm.LoadEncoder(CPU);
        using var noGrad = no_grad();
        for (var i = 0; i < texts.Length; i++)
        {
            var ids = model.Encode(texts[i]);
            var (input, mask) = model.Pad([ids]);
            var layers = stack(encoder.Forward(input, mask), dim: 0)[.., 0];
            Assert.True(states[0, i].allclose(layers[.., ids.Length - 2], rtol: 1e-4, atol: 1e-5), texts[i]);
            Assert.False(states[0, i].allclose(states[1, i], rtol: 1e-3, atol: 1e-3), texts[i]);
        }
        // The banana prompt's own last token is the word itself.
        Assert.Equal(MiniLm.LoadTokenizer().EncodeWithoutSpecials(" Banana")[^1], model.Encode(texts[3])[^2]);
        var dir = TinyCheckpoints.WriteGpt2(TinyCheckpoints.NewFolder());
        using var gpt2 = (LanguageModel)HuggingFaceCheckpoint.Load(dir, CPU);
        using var g = gpt2.HiddenStates(["the cat sat", "a dog"], [TokenPosition.LastText, TokenPosition.Last]);
        Assert.True(g[0].allclose(g[1]));
    }

    [Fact]
    public void Answer_tokens_of_every_template_of_every_dataset_are_its_answer()
    {
        using var model = (LanguageModel)MiniLm.Load(CPU);
        var tokenizer = MiniLm.LoadTokenizer();
        var distractors = new Distractor?[] { null, Distractors.RandomWords(), Distractors.AliceOpinion(2) };
        foreach (var dataset in Datasets.All.Append(Datasets.PolarStatements))
        {
            var examples = dataset.Load().Examples;
            // Alice's prompt is written for the movie-review answers.
            var usable = distractors.Where(d => d?.Name != "alice-opinion" || dataset == Datasets.MovieReviews);
            var pairs = usable.SelectMany(d => ContrastPairs.Build(examples, dataset.Templates, 0, 6, distractor: d));
            foreach (var pair in pairs)
            foreach (
                var (text, span) in new[]
                {
                    (pair.Positive, pair.PositiveAnswer!.Value),
                    (pair.Negative, pair.NegativeAnswer!.Value),
                }
            )
            {
                var (start, end) = model.AnswerTokens(text, span);
                var answer = tokenizer.EncodeWithoutSpecials(text.Substring(span.Start, span.Length));
                Assert.Equal(answer, model.Encode(text)[start..end]);
            }
        }
    }

    [Fact]
    public void Answer_tokens_follow_a_long_texts_cut_and_refuse_a_span_inside_a_word_or_cut_off()
    {
        using var model = (LanguageModel)MiniLm.Load(CPU);
        var stem = string.Concat(Enumerable.Repeat("apple ", 600)) + "Is it good?";
        var text = stem + " Yes";
        var (start, end) = model.AnswerTokens(text, new AnswerSpan(stem.Length, 4));
        Assert.Equal((510, 511), (start, end)); // 512 positions: [CLS], 509 kept tokens before "yes", "yes", [SEP]
        Assert.Equal(model.Encode(" yes")[1], model.Encode(text)[start]);
        Assert.Throws<ArgumentException>(() => model.AnswerTokens("It is positive", new AnswerSpan(6, 4))); // "posi"
        Assert.Throws<ArgumentException>(() => model.AnswerTokens(text, new AnswerSpan(0, 5))); // cut off
        Assert.Throws<ArgumentOutOfRangeException>(() => model.AnswerTokens("short", new AnswerSpan(3, 9)));
        Assert.Throws<ArgumentException>(() => model.HiddenStates(["a b"], [TokenPosition.Answer]));
    }

    [Fact]
    public void Gpt2_answer_tokens_include_the_leading_space_token()
    {
        var dir = TinyCheckpoints.WriteGpt2(TinyCheckpoints.NewFolder());
        using var model = (LanguageModel)HuggingFaceCheckpoint.Load(dir, CPU);
        var text = "the cat sat on the mat";
        var (start, end) = model.AnswerTokens(text, new AnswerSpan(3, 4)); // " cat"
        Assert.Equal(model.Encode(" cat"), model.Encode(text)[start..end]);
        using var states = model.HiddenStates(
            [text, "the dog"],
            [TokenPosition.Answer],
            [new AnswerSpan(3, 4), new AnswerSpan(0, 3)]
        );
        // GPT-2 is causal: the tokens of "the" inside "the dog" are those of "the" alone, so their mean is its Mean.
        using var alone = model.HiddenStates(["the"], TokenPosition.Mean);
        Assert.True(states[0, 1].allclose(alone[0], rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Shards_cover_every_text_once_with_about_equal_tokens()
    {
        long[] lengths = [50, 3, 3, 3, 40, 10, 10, 60, 2, 9];
        foreach (var k in new[] { 1, 2, 3, 10 })
        {
            var shards = CpuDataParallel.Shards(lengths, k);
            Assert.Equal(k, shards.Length);
            Assert.All(shards, s => Assert.True(s.Count > 0));
            var covered = shards.SelectMany(s => Enumerable.Range(s.Start, s.Count));
            Assert.Equal(Enumerable.Range(0, lengths.Length), covered);
            if (k == 2)
            {
                var tokens = shards.Select(s => lengths[s.Start..(s.Start + s.Count)].Sum()).ToArray();
                Assert.True(Math.Abs(tokens[0] - tokens[1]) <= 60, string.Join(",", tokens));
            }
        }
    }

    [Fact]
    public void Splitting_the_batch_between_threads_gives_the_one_thread_numbers()
    {
        using var encoder = MiniLm.LoadEncoder(CPU);
        using var model = (LanguageModel)MiniLm.Load(CPU);
        var (input, mask) = model.Pad(MiniLmTests.Sentences.Select(model.Encode).ToArray());
        var threads = get_num_threads();
        try
        {
            using var noGrad = no_grad();
            set_num_threads(1);
            var one = encoder.ForwardRows(input, mask);
            set_num_threads(3); // three shards, whatever the machine has
            var split = encoder.ForwardRows(input, mask);
            Assert.Equal(3, get_num_threads());
            Assert.Equal(one.Length, split.Length);
            for (var l = 0; l < one.Length; l++)
                Assert.True(one[l].allclose(split[l], rtol: 1e-5, atol: 1e-5), $"layer {l}");
            Assert.Equal(mask.sum().item<long>(), one[^1].shape[0]);
        }
        finally
        {
            set_num_threads(threads);
        }
    }
}
