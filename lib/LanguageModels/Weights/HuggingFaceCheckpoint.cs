using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;
using static TorchSharp.torch;

namespace ScienceOfDL.LanguageModels;

/// <summary>
/// Bring your own model: a local Hugging Face folder with config.json, model.safetensors (or sharded
/// model.safetensors.index.json) and tokenizer files. Supported: BERT-family encoders (model_type "bert", vocab.txt)
/// and GPT-2-family decoders (model_type "gpt2", vocab.json + merges.txt). Anything else is an error that names what is
/// wrong.
/// </summary>
public static class HuggingFaceCheckpoint
{
    public static ILanguageModel Load(string folder, Device? device = null)
    {
        device ??= Devices.Best();
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Checkpoint folder '{folder}' does not exist.");
        var config = ReadConfig(Require(folder, "config.json"));
        var modelType = String(config, "model_type") ?? "(no model_type)";
        var folderName = Path.GetFileName(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar));
        var name = $"{folderName}-{Fingerprint(folder)}";
        return modelType switch
        {
            "bert" => LoadBert(folder, config, name, device),
            "gpt2" => LoadGpt2(folder, config, name, device),
            _ => throw new NotSupportedException(
                $"Unsupported architecture '{modelType}' ({config["architectures"]?.ToJsonString()
                    ?? "no architectures"}) in "
                    + $"{Path.Combine(folder, "config.json")}: supported are 'bert' (encoders) and 'gpt2' (decoders)."
            ),
        };
    }

    static ILanguageModel LoadBert(string folder, JsonObject c, string name, Device device)
    {
        if (String(c, "position_embedding_type") is { } kind && kind != "absolute")
            throw new NotSupportedException(
                $"BERT with position_embedding_type '{kind}' is not supported (only " + $"'absolute')."
            );
        var config = new BertConfig(
            Int(c, "vocab_size"),
            Int(c, "hidden_size"),
            Int(c, "num_hidden_layers"),
            Int(c, "num_attention_heads"),
            Int(c, "intermediate_size"),
            Int(c, "max_position_embeddings"),
            Int(c, "type_vocab_size", 2),
            Double(c, "layer_norm_eps", 1e-12),
            String(c, "hidden_act") ?? "gelu"
        );
        var lowerCase = LowerCase(folder);
        var tokenizer = WordPieceTokenizer.FromFile(Require(folder, "vocab.txt"), lowerCase);
        var weights = ReadWeights(folder, ["bert."], n =>
            n.Replace("LayerNorm.gamma", "LayerNorm.weight").Replace("LayerNorm.beta", "LayerNorm.bias")
        );
        RequireLayerCount(folder, weights, @"^encoder\.layer\.(\d+)\.", "num_hidden_layers", config.NumLayers);
        try
        {
            return LanguageModel.FromBert(name, new BertEncoder(config, weights, device), tokenizer);
        }
        finally
        {
            foreach (var t in weights.Values)
                t.Dispose();
        }
    }

    static ILanguageModel LoadGpt2(string folder, JsonObject c, string name, Device device)
    {
        var config = new Gpt2Config(
            Int(c, "vocab_size"),
            Int(c, "n_embd"),
            Int(c, "n_layer"),
            Int(c, "n_head"),
            Int(c, "n_positions"),
            Double(c, "layer_norm_epsilon", 1e-5),
            String(c, "activation_function") ?? "gelu_new",
            c["n_inner"] is null ? null : Int(c, "n_inner")
        );
        using var vocab = File.OpenRead(Require(folder, "vocab.json"));
        using var merges = File.OpenRead(Require(folder, "merges.txt"));
        var tokenizer = CodeGenTokenizer.Create(
            vocab,
            merges,
            addPrefixSpace: false,
            addBeginOfSentence: false,
            addEndOfSentence: false
        );
        var weights = ReadWeights(folder, ["transformer."], n => n);
        RequireLayerCount(folder, weights, @"^h\.(\d+)\.", "n_layer", config.NumLayers);
        try
        {
            return LanguageModel.FromGpt2(name, new Gpt2Decoder(config, weights, device), text =>
                tokenizer.EncodeToIds(text)
            );
        }
        finally
        {
            foreach (var t in weights.Values)
                t.Dispose();
        }
    }

    /// <summary>model.safetensors, or every shard a model.safetensors.index.json lists; prefixes such as "bert."
    /// removed.</summary>
    static Dictionary<string, Tensor> ReadWeights(string folder, string[] prefixes, Func<string, string> rename)
    {
        var index = Path.Combine(folder, "model.safetensors.index.json");
        var files = File.Exists(index)
            ? JsonNode.Parse(File.ReadAllText(index))!["weight_map"]!
                .AsObject()
                .Select(kv => kv.Value!.GetValue<string>())
                .Distinct()
                .Select(f => Require(folder, f))
                .ToArray()
            : [Require(folder, "model.safetensors")];
        var weights = new Dictionary<string, Tensor>();
        foreach (var file in files)
        foreach (var (key, t) in Safetensors.Read(file))
        {
            var prefix = prefixes.FirstOrDefault(key.StartsWith);
            weights[rename(prefix is null ? key : key[prefix.Length..])] = t;
        }
        return weights;
    }

    static bool LowerCase(string folder)
    {
        var path = Path.Combine(folder, "tokenizer_config.json");
        if (!File.Exists(path))
            return true;
        return JsonNode.Parse(File.ReadAllText(path))?["do_lower_case"]?.GetValue<bool>() ?? true;
    }

    static string Require(string folder, string file)
    {
        var path = Path.Combine(folder, file);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"The checkpoint folder '{folder}' has no {file}.", path);
    }

    // config.json's values, each refused with the file and the key when missing or of the wrong type.
    static JsonObject ReadConfig(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new InvalidDataException($"{path} is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }
    }

    static T? Value<T>(JsonObject c, string key, string what)
    {
        if (c[key] is not { } node)
            return default;
        try
        {
            return node.GetValue<T>();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"config.json: '{key}' must be {what}, not {node.ToJsonString()}.", e);
        }
    }

    static int Int(JsonObject c, string key, int? fallback = null) =>
        (c[key] is null ? fallback : Value<int>(c, key, "a whole number"))
        ?? throw new InvalidDataException($"config.json has no '{key}'.");

    static double Double(JsonObject c, string key, double fallback) =>
        c[key] is null ? fallback : Value<double>(c, key, "a number");

    static string? String(JsonObject c, string key) => Value<string>(c, key, "a string");

    /// <summary>A config that declares fewer (or more) layers than the weights hold would load another model
    /// silently.</summary>
    static void RequireLayerCount(
        string folder,
        Dictionary<string, Tensor> weights,
        string pattern,
        string key,
        int declared
    )
    {
        var found = weights
            .Keys.Select(k => Regex.Match(k, pattern))
            .Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value))
            .Distinct()
            .Count();
        if (found != declared)
            throw new InvalidDataException(
                $"{Path.Combine(folder,
                "config.json")} declares {key} = {declared}, but the weights "
                    + $"hold {found} layers."
            );
    }

    /// <summary>A short hash of config.json and the weight files' sizes and headers, so the hidden-state cache tells
    /// checkpoints in same-named folders apart (and notices retrained weights whose header changed).</summary>
    static string Fingerprint(string folder)
    {
        using var sha = SHA256.Create();
        using var all = new MemoryStream();
        all.Write(File.ReadAllBytes(Path.Combine(folder, "config.json")));
        foreach (var f in Directory.GetFiles(folder, "*.safetensors").Order())
        {
            using var s = File.OpenRead(f);
            var head = new byte[Math.Min(s.Length, 1 << 16)];
            s.ReadExactly(head);
            all.Write(BitConverter.GetBytes(s.Length));
            all.Write(head);
            if (s.Length > head.Length)
            {
                // also the last bytes: header-only hashing would miss retrained weights with the same names and shapes
                var tail = new byte[Math.Min(s.Length - head.Length, 1 << 16)];
                s.Position = s.Length - tail.Length;
                s.ReadExactly(tail);
                all.Write(tail);
            }
        }
        return Convert.ToHexString(sha.ComputeHash(all.ToArray()))[..12].ToLowerInvariant();
    }
}
