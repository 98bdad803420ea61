using System.Text;
using System.Text.Json;
using ScienceOfDL.LanguageModels;
using static TorchSharp.torch;

namespace ScienceOfDL.Tests.LanguageModels;

/// <summary>Writes tiny random Hugging Face checkpoint folders (config.json, model.safetensors, tokenizer
/// files).</summary>
public static class TinyCheckpoints
{
    public static readonly string[] BertWords = ["the", "cat", "sat", "on", "mat", "dog", ".", "##s", "a", "yes", "no"];

    /// <summary>A fresh folder under one per-process temp folder, deleted when the test process exits.</summary>
    public static string NewFolder()
    {
        var dir = Path.Combine(Root.Value, Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    static readonly Lazy<string> Root = new(() =>
    {
        var root = Path.Combine(Path.GetTempPath(), $"sodl-lm-tests-{Environment.ProcessId}");
        // The test host is sometimes ended before ProcessExit runs: remove folders of test processes that are gone.
        foreach (var stale in Directory.GetDirectories(Path.GetTempPath(), "sodl-lm-tests-*"))
            if (int.TryParse(Path.GetFileName(stale)["sodl-lm-tests-".Length..], out var pid) && !IsRunning(pid))
                try
                {
                    Directory.Delete(stale, recursive: true);
                }
                catch (IOException) { }
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException) { }
        };
        return root;
    });

    static bool IsRunning(int pid)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>A 2-layer, 8-wide BERT with 16 positions, saved the way BertModel/BertForX save it ("bert." prefix,
    /// extra heads).</summary>
    public static string WriteBert(string dir, int seed = 1)
    {
        string[] vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", .. BertWords];
        File.WriteAllLines(Path.Combine(dir, "vocab.txt"), vocab);
        var config = new BertConfig(
            vocab.Length,
            HiddenSize: 8,
            NumLayers: 2,
            NumHeads: 2,
            IntermediateSize: 16,
            MaxPositions: 16
        );
        File.WriteAllText(
            Path.Combine(dir, "config.json"),
            JsonSerializer.Serialize(
                new Dictionary<string, object>
                {
                    ["model_type"] = "bert",
                    ["architectures"] = new[] { "BertForMaskedLM" },
                    ["vocab_size"] = config.VocabSize,
                    ["hidden_size"] = 8,
                    ["num_hidden_layers"] = 2,
                    ["num_attention_heads"] = 2,
                    ["intermediate_size"] = 16,
                    ["max_position_embeddings"] = 16,
                    ["type_vocab_size"] = 2,
                    ["layer_norm_eps"] = 1e-12,
                    ["hidden_act"] = "gelu",
                }
            )
        );
        var gen = Seeds.Generator(seed);
        var weights = BertEncoder
            .ExpectedWeights(config)
            .ToDictionary(w => "bert." + w.Name, w => Random(w.Name, w.Shape, gen));
        weights["cls.predictions.bias"] = randn([config.VocabSize], generator: gen); // a head the encoder ignores
        Safetensors.Write(Path.Combine(dir, "model.safetensors"), weights);
        return dir;
    }

    /// <summary>GPT-2's byte-to-character map (printable bytes stand for themselves, the rest move above
    /// 255).</summary>
    public static string ByteChar(int b)
    {
        bool Printable(int x) => x is >= '!' and <= '~' or >= '¡' and <= '¬' or >= '®' and <= 'ÿ';
        if (Printable(b))
            return ((char)b).ToString();
        var shift = Enumerable.Range(0, b).Count(x => !Printable(x));
        return ((char)(256 + shift)).ToString();
    }

    public static readonly string[] Merges = ["Ġ t", "h e", "Ġt he", "a t", "Ġ c", "Ġc at"];

    /// <summary>A 2-layer, 8-wide GPT-2 with 16 positions: byte-level vocabulary (id = byte value) plus a few
    /// merges.</summary>
    public static string WriteGpt2(string dir, int seed = 2)
    {
        var vocab = Enumerable.Range(0, 256).ToDictionary(ByteChar, b => b);
        foreach (var merge in Merges)
            vocab[merge.Replace(" ", "")] = vocab.Count;
        vocab["<|endoftext|>"] = vocab.Count;
        File.WriteAllText(Path.Combine(dir, "vocab.json"), JsonSerializer.Serialize(vocab));
        File.WriteAllText(
            Path.Combine(dir, "merges.txt"),
            "#version: 0.2\n" + string.Join("\n", Merges) + "\n",
            new UTF8Encoding(false)
        );
        var config = new Gpt2Config(vocab.Count, HiddenSize: 8, NumLayers: 2, NumHeads: 2, MaxPositions: 16);
        File.WriteAllText(
            Path.Combine(dir, "config.json"),
            JsonSerializer.Serialize(
                new Dictionary<string, object>
                {
                    ["model_type"] = "gpt2",
                    ["architectures"] = new[] { "GPT2LMHeadModel" },
                    ["vocab_size"] = vocab.Count,
                    ["n_embd"] = 8,
                    ["n_layer"] = 2,
                    ["n_head"] = 2,
                    ["n_positions"] = 16,
                    ["layer_norm_epsilon"] = 1e-5,
                    ["activation_function"] = "gelu_new",
                }
            )
        );
        var gen = Seeds.Generator(seed);
        var weights = new Dictionary<string, Tensor>();
        foreach (var (name, shape) in Gpt2Decoder.ExpectedWeights(config))
            weights[name] = Random(name, shape, gen);
        weights["h.0.attn.bias"] = ones(1, 1, 16, 16).tril(); // the causal-mask buffer older checkpoints carry
        Safetensors.Write(Path.Combine(dir, "model.safetensors"), weights);
        return dir;
    }

    static Tensor Random(string name, long[] shape, Generator gen) =>
        name.Contains("LayerNorm.weight") || name.Contains("ln_") && name.EndsWith(".weight")
            ? 1 + 0.1f * randn(shape, generator: gen)
            : 0.5f * randn(shape, generator: gen);
}
