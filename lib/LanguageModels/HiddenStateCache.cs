using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace ScienceOfDL.LanguageModels;

/// <summary>
/// Hidden states on disk, so a notebook's second run reads instead of recomputing. One file holds every layer for one
/// (model, texts, token position): its name carries a hash of all three, and its header repeats them with the shape and a
/// SHA-256 of the data. A file whose header, shape, size or checksum does not match what is asked is rebuilt, never used.
/// </summary>
public static class HiddenStateCache
{
    // Part of every header: bump it when what a file means changes (pooling, truncation), so old files are rebuilt.
    const string Magic = "SODL-ACTIVATIONS-1";

    public static string DefaultDir => Path.Combine(Repository.DataDir, "cache", "hidden-states");

    /// <summary>float32 [texts.Count, NumLayers + 1, HiddenSize] on the CPU, from the cache when a valid file exists.</summary>
    public static Tensor HiddenStates(ILanguageModel model, IReadOnlyList<string> texts, TokenPosition position,
        string? cacheDir = null, IProgress<ExtractionProgress>? progress = null)
    {
        var expected = new Header(Magic, model.Name, position.ToString(), TextsHash(texts), texts.Count,
            model.NumLayers + 1, model.HiddenSize, "");
        var path = PathFor(cacheDir ?? DefaultDir, expected);
        if (TryRead(path, expected).States is { } cached) return cached;

        var states = model.HiddenStates(texts, position, progress: progress);
        Write(path, expected, states);
        return states;
    }

    /// <summary>The file for one (model, texts, position); exposed for tests and for clearing a cache by hand.</summary>
    public static string PathFor(string cacheDir, ILanguageModel model, IReadOnlyList<string> texts, TokenPosition position) =>
        PathFor(cacheDir, new Header(Magic, model.Name, position.ToString(), TextsHash(texts), texts.Count, model.NumLayers + 1, model.HiddenSize, ""));

    /// <summary>SHA-256 over the texts, each prefixed by its length, so ["ab","c"] and ["a","bc"] differ.</summary>
    public static string TextsHash(IReadOnlyList<string> texts)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var t in texts)
        {
            var bytes = Encoding.UTF8.GetBytes(t);
            sha.AppendData(BitConverter.GetBytes(bytes.Length));
            sha.AppendData(bytes);
        }
        return Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant();
    }

    sealed record Header(string Format, string Model, string Position, string TextsHash, int Count, int Layers, int Hidden, string DataSha256);

    static string PathFor(string dir, Header h)
    {
        var safeModel = string.Concat(h.Model.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{h.Model}\n{h.Position}\n{h.TextsHash}")))[..16].ToLowerInvariant();
        return Path.Combine(dir, $"{safeModel}-{h.Position.ToLowerInvariant()}-{key}.bin");
    }

    // Layout: int32 header length, UTF-8 JSON header, then Count*Layers*Hidden float32 values (little-endian).
    static void Write(string path, Header expected, Tensor states)
    {
        var data = states.contiguous().bytes.ToArray();
        var header = JsonSerializer.SerializeToUtf8Bytes(expected with { DataSha256 = Convert.ToHexString(SHA256.HashData(data)) });
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var tmp = path + ".tmp";
        using (var file = File.Create(tmp))
        {
            file.Write(BitConverter.GetBytes(header.Length));
            file.Write(header);
            file.Write(data);
        }
        File.Move(tmp, path, overwrite: true); // atomic: a crash mid-write leaves no half file under the real name
    }

    /// <summary>What the cache holds for this request: "valid", "missing", or why the file would be rebuilt.</summary>
    public static string Inspect(string cacheDir, ILanguageModel model, IReadOnlyList<string> texts, TokenPosition position)
    {
        var expected = new Header(Magic, model.Name, position.ToString(), TextsHash(texts), texts.Count, model.NumLayers + 1, model.HiddenSize, "");
        var (states, status) = TryRead(PathFor(cacheDir, expected), expected);
        states?.Dispose();
        return status;
    }

    static (Tensor? States, string Status) TryRead(string path, Header expected)
    {
        if (!File.Exists(path)) return (null, "missing");
        try
        {
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length < 4) return (null, "truncated file");
            var headerLength = BitConverter.ToInt32(bytes, 0);
            if (headerLength <= 0 || headerLength > bytes.Length - 4) return (null, "bad header length");
            var header = JsonSerializer.Deserialize<Header>(bytes.AsSpan(4, headerLength));
            if (header is null) return (null, "empty header");
            if (header with { DataSha256 = "" } != expected) return (null, $"header mismatch: file has {header with { DataSha256 = "" }}, wanted {expected}");
            var data = bytes.AsSpan(4 + headerLength);
            if (data.Length != (long)expected.Count * expected.Layers * expected.Hidden * sizeof(float))
                return (null, $"data size {data.Length} bytes does not fit shape [{expected.Count}, {expected.Layers}, {expected.Hidden}]");
            if (Convert.ToHexString(SHA256.HashData(data)) != header.DataSha256) return (null, "checksum mismatch (corrupt data)");
            var states = empty(expected.Count, expected.Layers, expected.Hidden, dtype: float32);
            states.bytes = data;
            return (states, "valid");
        }
        catch (Exception e) when (e is JsonException or ArgumentException or IOException or NotSupportedException)
        {
            return (null, "unreadable: " + e.Message);
        }
    }
}
