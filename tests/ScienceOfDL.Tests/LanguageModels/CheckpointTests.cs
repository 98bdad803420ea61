using ScienceOfDL.LanguageModels;
using static TorchSharp.torch;

namespace ScienceOfDL.Tests.LanguageModels;

public class CheckpointTests
{
    static readonly string[] Texts = ["the cat sat on the mat.", "a dog", "yes"];

    [Fact]
    public void Bert_checkpoint_loads_with_its_shapes_and_gives_the_same_numbers_twice()
    {
        var dir = TinyCheckpoints.WriteBert(TinyCheckpoints.NewFolder());
        using var a = HuggingFaceCheckpoint.Load(dir, CPU);
        using var b = HuggingFaceCheckpoint.Load(dir, CPU);
        Assert.Equal((2, 8), (a.NumLayers, a.HiddenSize));
        using var sa = a.HiddenStates(Texts, TokenPosition.Last);
        using var sb = b.HiddenStates(Texts, TokenPosition.Last);
        Assert.Equal([3L, 3, 8], sa.shape);
        Assert.Equal(ScalarType.Float32, sa.dtype);
        Assert.True(sa.isfinite().all().item<bool>());
        Assert.True(sa.allclose(sb, rtol: 0, atol: 0));
        Assert.Equal(a.Name, b.Name);
        // The layers differ from each other, and so do the texts: nothing is constant.
        Assert.True((sa[.., 0] - sa[.., 2]).abs().max().item<float>() > 1e-3);
        Assert.True((sa[0] - sa[1]).abs().max().item<float>() > 1e-3);
    }

    [Theory]
    [InlineData(TokenPosition.Last)]
    [InlineData(TokenPosition.First)]
    [InlineData(TokenPosition.Mean)]
    public void Bert_padding_in_a_batch_does_not_change_a_texts_states(TokenPosition position)
    {
        var dir = TinyCheckpoints.WriteBert(TinyCheckpoints.NewFolder());
        using var model = HuggingFaceCheckpoint.Load(dir, CPU);
        using var alone = model.HiddenStates(Texts, position, batchSize: 1);
        using var batched = model.HiddenStates(Texts, position, batchSize: 8);
        Assert.True(alone.allclose(batched, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void Bert_texts_longer_than_the_positions_keep_their_end()
    {
        var dir = TinyCheckpoints.WriteBert(TinyCheckpoints.NewFolder());
        using var model = HuggingFaceCheckpoint.Load(dir, CPU);
        var words = Enumerable.Range(0, 40).Select(i => TinyCheckpoints.BertWords[i % 6]).ToArray(); // one token each
        var full = string.Join(" ", words);
        var end = string.Join(" ", words[^14..]); // 16 positions = [CLS] + 14 tokens + [SEP]
        using var states = model.HiddenStates([full, end], TokenPosition.Mean);
        Assert.True(states[0].allclose(states[1], rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Gpt2_checkpoint_loads_tokenizes_with_its_merges_and_is_deterministic()
    {
        var dir = TinyCheckpoints.WriteGpt2(TinyCheckpoints.NewFolder());
        using var model = (LanguageModel)HuggingFaceCheckpoint.Load(dir, CPU);
        Assert.Equal((2, 8), (model.NumLayers, model.HiddenSize));
        // "the" has no merge "t he" (only "Ġt he"); " cat" merges a+t, then Ġ+c, then Ġc+at.
        Assert.Equal([(int)'t', 257, 261], model.Encode("the cat"));
        Assert.Equal([258], model.Encode(" the"));
        using var s1 = model.HiddenStates(Texts, TokenPosition.Last);
        using var again = HuggingFaceCheckpoint.Load(dir, CPU);
        using var s2 = again.HiddenStates(Texts, TokenPosition.Last);
        Assert.Equal([3L, 3, 8], s1.shape);
        Assert.True(s1.allclose(s2, rtol: 0, atol: 0));
        Assert.True((s1[0] - s1[1]).abs().max().item<float>() > 1e-3);
    }

    [Fact]
    public void Gpt2_is_causal_and_padding_does_not_leak()
    {
        var dir = TinyCheckpoints.WriteGpt2(TinyCheckpoints.NewFolder());
        using var model = HuggingFaceCheckpoint.Load(dir, CPU);
        // Same first token, different continuations: the first position cannot see what follows it.
        using var first = model.HiddenStates(["the cat", "the dog sat"], TokenPosition.First);
        Assert.True(first[0].allclose(first[1], rtol: 1e-5, atol: 1e-6));
        using var last = model.HiddenStates(["the cat", "the dog sat"], TokenPosition.Last);
        Assert.False(last[0].allclose(last[1], rtol: 1e-3, atol: 1e-3));
        using var alone = model.HiddenStates(Texts, TokenPosition.Last, batchSize: 1);
        using var batched = model.HiddenStates(Texts, TokenPosition.Last, batchSize: 8);
        Assert.True(alone.allclose(batched, rtol: 1e-4, atol: 1e-5));
        // Longer than 16 positions: the last 16 tokens are kept.
        var longText = string.Concat(Enumerable.Repeat("ab", 30));
        using var cut = model.HiddenStates([longText, longText[^16..]], TokenPosition.Mean);
        Assert.True(cut[0].allclose(cut[1], rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Gpt2_matches_a_plain_loop_over_heads_and_positions()
    {
        // An independent, slow reading of GPT-2 straight from the checkpoint's tensors (Conv1D weights [in, out]), to
        // check layouts the tests above cannot see: the q/k/v split, head order, causal mask, tanh-GELU and the final
        // LayerNorm.
        var dir = TinyCheckpoints.WriteGpt2(TinyCheckpoints.NewFolder());
        using var model = (LanguageModel)HuggingFaceCheckpoint.Load(dir, CPU);
        var w = Safetensors.Read(Path.Combine(dir, "model.safetensors"));
        var text = "the cat sat on a mat";
        var ids = model.Encode(text);
        int n = ids.Length,
            h = 8,
            heads = 2,
            hd = h / heads;
        Tensor Ln(Tensor x, string name) =>
            (x - x.mean([-1], keepdim: true))
                / (x.var(-1, unbiased: false, keepdim: true) + 1e-5).sqrt()
                * w[name + ".weight"]
            + w[name + ".bias"];
        Tensor Gelu(Tensor x) => 0.5 * x * (1 + (Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x.pow(3))).tanh());
        var x = w["wte.weight"][tensor(ids.Select(i => (long)i).ToArray())] + w["wpe.weight"][..n];
        var layers = new List<Tensor> { x };
        for (var l = 0; l < 2; l++)
        {
            var p = $"h.{l}.";
            var qkv = Ln(x, p + "ln_1").matmul(w[p + "attn.c_attn.weight"]) + w[p + "attn.c_attn.bias"];
            var headsOut = new List<Tensor>();
            for (var head = 0; head < heads; head++)
            {
                var q = qkv[.., (head * hd)..((head + 1) * hd)];
                var k = qkv[.., (h + head * hd)..(h + (head + 1) * hd)];
                var v = qkv[.., (2 * h + head * hd)..(2 * h + (head + 1) * hd)];
                var scores = q.matmul(k.T) / Math.Sqrt(hd);
                var future = ones(n, n).triu(1).to(ScalarType.Bool);
                headsOut.Add(scores.masked_fill(future, double.NegativeInfinity).softmax(-1).matmul(v));
            }
            x = x + cat(headsOut.ToArray(), 1).matmul(w[p + "attn.c_proj.weight"]) + w[p + "attn.c_proj.bias"];
            var inner = Gelu(Ln(x, p + "ln_2").matmul(w[p + "mlp.c_fc.weight"]) + w[p + "mlp.c_fc.bias"]);
            x = x + inner.matmul(w[p + "mlp.c_proj.weight"]) + w[p + "mlp.c_proj.bias"];
            layers.Add(l == 1 ? Ln(x, "ln_f") : x);
        }
        var reference = stack(layers.ToArray()); // [3, tokens, 8]
        using var last = model.HiddenStates([text], TokenPosition.Last);
        using var mean = model.HiddenStates([text], TokenPosition.Mean);
        Assert.True(last[0].allclose(reference[.., -1], rtol: 1e-4, atol: 1e-5));
        Assert.True(mean[0].allclose(reference.mean([1]), rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void Unsupported_architecture_is_an_error_naming_it()
    {
        var dir = TinyCheckpoints.WriteBert(TinyCheckpoints.NewFolder());
        File.WriteAllText(
            Path.Combine(dir, "config.json"),
            """{"model_type": "llama", "architectures": ["LlamaForCausalLM"]}"""
        );
        var e = Assert.Throws<NotSupportedException>(() => HuggingFaceCheckpoint.Load(dir, CPU));
        Assert.Contains("llama", e.Message);
    }

    [Theory]
    [InlineData("bert", "model.safetensors")]
    [InlineData("bert", "vocab.txt")]
    [InlineData("bert", "config.json")]
    [InlineData("gpt2", "merges.txt")]
    [InlineData("gpt2", "vocab.json")]
    public void A_missing_file_is_an_error_naming_it(string kind, string file)
    {
        var dir = TinyCheckpoints.NewFolder();
        if (kind == "bert")
            TinyCheckpoints.WriteBert(dir);
        else
            TinyCheckpoints.WriteGpt2(dir);
        File.Delete(Path.Combine(dir, file));
        var e = Assert.Throws<FileNotFoundException>(() => HuggingFaceCheckpoint.Load(dir, CPU));
        Assert.Contains(file, e.Message);
    }

    [Theory]
    [InlineData("{ not json", "is not valid JSON")]
    [InlineData(
        """{"model_type": "bert", "vocab_size": "many"}""",
        "'vocab_size' must be a whole number, not \"many\""
    )]
    [InlineData(
        """{"model_type": "bert", "vocab_size": 16, "hidden_size": 8.5}""",
        "'hidden_size' must be a whole number"
    )]
    [InlineData("""{"model_type": 7}""", "'model_type' must be a string")]
    public void A_config_that_is_not_json_or_has_a_wrong_type_is_an_error_naming_file_and_key(
        string json,
        string expected
    )
    {
        var dir = TinyCheckpoints.WriteBert(TinyCheckpoints.NewFolder());
        File.WriteAllText(Path.Combine(dir, "config.json"), json);
        var e = Assert.Throws<InvalidDataException>(() => HuggingFaceCheckpoint.Load(dir, CPU));
        Assert.Contains(expected, e.Message);
        Assert.Contains("config.json", e.Message);
    }

    [Theory]
    [InlineData(
        "bert",
        "\"num_hidden_layers\":2",
        "\"num_hidden_layers\":1",
        "num_hidden_layers = 1, but the weights hold 2"
    )]
    [InlineData("gpt2", "\"n_layer\":2", "\"n_layer\":1", "n_layer = 1, but the weights hold 2")]
    public void A_config_declaring_fewer_layers_than_the_weights_hold_is_refused(
        string kind,
        string from,
        string to,
        string expected
    )
    {
        var dir = TinyCheckpoints.NewFolder();
        if (kind == "bert")
            TinyCheckpoints.WriteBert(dir);
        else
            TinyCheckpoints.WriteGpt2(dir);
        var path = Path.Combine(dir, "config.json");
        var json = File.ReadAllText(path);
        Assert.Contains(from, json);
        File.WriteAllText(path, json.Replace(from, to));
        Assert.Contains(
            expected,
            Assert.Throws<InvalidDataException>(() => HuggingFaceCheckpoint.Load(dir, CPU)).Message
        );
    }

    [Fact]
    public void A_missing_weight_is_an_error_naming_it()
    {
        var dir = TinyCheckpoints.WriteBert(TinyCheckpoints.NewFolder());
        var path = Path.Combine(dir, "model.safetensors");
        var weights = Safetensors.Read(path);
        weights.Remove("bert.encoder.layer.1.output.dense.weight");
        Safetensors.Write(path, weights);
        var e = Assert.Throws<KeyNotFoundException>(() => HuggingFaceCheckpoint.Load(dir, CPU));
        Assert.Contains("encoder.layer.1.output.dense.weight", e.Message);
    }

    [Fact]
    public void Safetensors_round_trip_keeps_names_shapes_and_values()
    {
        var path = Path.Combine(TinyCheckpoints.NewFolder(), "t.safetensors");
        var gen = Seeds.Generator(3);
        var written = new Dictionary<string, Tensor>
        {
            ["a.weight"] = randn([3, 4], generator: gen),
            ["b"] = randn([5], generator: gen),
        };
        Safetensors.Write(path, written);
        var read = Safetensors.Read(path);
        Assert.Equal(written.Keys.Order(), read.Keys.Order());
        foreach (var (k, t) in written)
            Assert.True(t.allclose(read[k], rtol: 0, atol: 0));
    }
}
