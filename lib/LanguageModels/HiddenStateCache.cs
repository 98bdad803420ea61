using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace ScienceOfDL.LanguageModels;

/// <summary>
/// Hidden states on disk, so a notebook's second run reads instead of recomputing. One file holds every layer at every
/// token position for one (model, texts, answer spans): a request for any position computes them all in one forward
/// pass, so each set of texts goes through the model once. The file's name carries a hash of the key, and its header
/// repeats it with the positions, the shape and a SHA-256 of the data. A file whose header, shape, size or checksum
/// does not match what is asked is rebuilt, never used.
/// </summary>
public static class HiddenStateCache
{
    // Part of every header: bump it when what a file means changes (pooling, truncation), so old files are rebuilt.
    const string Magic = "SODL-ACTIVATIONS-2";

    public static string DefaultDir => Path.Combine(Repository.DataDir, "cache", "hidden-states");

    /// <summary>The positions a file holds: the answer's tokens too when the texts come with answer spans.</summary>
    public static TokenPosition[] Stored(bool withAnswers) =>
        withAnswers
            ?
            [
                TokenPosition.Last,
                TokenPosition.First,
                TokenPosition.Mean,
                TokenPosition.Answer,
                TokenPosition.LastText,
            ]
            : [TokenPosition.Last, TokenPosition.First, TokenPosition.Mean, TokenPosition.LastText];

    /// <summary>float32 [positions.Count, texts.Count, NumLayers + 1, HiddenSize] on the CPU, from the cache when a
    /// valid file exists. <see cref="TokenPosition.Answer"/> needs <paramref name="answers"/>.</summary>
    public static Tensor HiddenStates(
        ILanguageModel model,
        IReadOnlyList<string> texts,
        IReadOnlyList<AnswerSpan>? answers,
        IReadOnlyList<TokenPosition> positions,
        string? cacheDir = null,
        IProgress<ExtractionProgress>? progress = null
    )
    {
        var stored = Stored(answers is not null);
        var missing = positions.Where(p => !stored.Contains(p)).ToArray();
        if (missing.Length > 0)
            throw new ArgumentException($"position {missing[0]} needs the answers' spans", nameof(positions));
        using var all = StoredStates(model, texts, answers, cacheDir, progress);
        using var index = tensor(positions.Select(p => (long)Array.IndexOf(stored, p)).ToArray(), int64);
        return all.index_select(0, index);
    }

    /// <summary>float32 [texts.Count, NumLayers + 1, HiddenSize] on the CPU at one position (texts without answer
    /// spans).</summary>
    public static Tensor HiddenStates(
        ILanguageModel model,
        IReadOnlyList<string> texts,
        TokenPosition position,
        string? cacheDir = null,
        IProgress<ExtractionProgress>? progress = null
    )
    {
        using var one = HiddenStates(model, texts, null, [position], cacheDir, progress);
        return one[0].clone();
    }

    static Tensor StoredStates(
        ILanguageModel model,
        IReadOnlyList<string> texts,
        IReadOnlyList<AnswerSpan>? answers,
        string? cacheDir,
        IProgress<ExtractionProgress>? progress
    )
    {
        var expected = Expected(model, texts, answers);
        var path = PathFor(cacheDir ?? DefaultDir, expected);
        if (TryRead(path, expected).States is { } cached)
            return cached;
        var states = model.HiddenStates(texts, Stored(answers is not null), answers, progress: progress);
        Write(path, expected, states);
        return states;
    }

    /// <summary>The file for one (model, texts, answers); exposed for tests and for clearing a cache by hand.</summary>
    public static string PathFor(
        string cacheDir,
        ILanguageModel model,
        IReadOnlyList<string> texts,
        IReadOnlyList<AnswerSpan>? answers = null
    ) => PathFor(cacheDir, Expected(model, texts, answers));

    /// <summary>SHA-256 over the texts, each prefixed by its length, so ["ab","c"] and ["a","bc"] differ; with answer
    /// spans, each text's span follows it.</summary>
    public static string TextsHash(IReadOnlyList<string> texts, IReadOnlyList<AnswerSpan>? answers = null)
    {
        if (answers is not null && answers.Count != texts.Count)
            throw new ArgumentException($"{answers.Count} answer spans for {texts.Count} texts", nameof(answers));
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var i = 0; i < texts.Count; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(texts[i]);
            sha.AppendData(BitConverter.GetBytes(bytes.Length));
            sha.AppendData(bytes);
            if (answers is null)
                continue;
            sha.AppendData(BitConverter.GetBytes(answers[i].Start));
            sha.AppendData(BitConverter.GetBytes(answers[i].Length));
        }
        return Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant();
    }

    sealed record Header(
        string Format,
        string Model,
        string Positions,
        string TextsHash,
        int Count,
        int Layers,
        int Hidden,
        string DataSha256
    );

    static Header Expected(ILanguageModel model, IReadOnlyList<string> texts, IReadOnlyList<AnswerSpan>? answers) =>
        new(
            Magic,
            model.Name,
            string.Join(",", Stored(answers is not null)),
            TextsHash(texts, answers),
            texts.Count,
            model.NumLayers + 1,
            model.HiddenSize,
            ""
        );

    static string PathFor(string dir, Header h)
    {
        var safeModel = string.Concat(h.Model.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{h.Model}\n{h.Positions}\n{h.TextsHash}"));
        var key = Convert.ToHexString(hash)[..16];
        return Path.Combine(dir, $"{safeModel}-{key.ToLowerInvariant()}.bin");
    }

    // Layout: int32 header length, UTF-8 JSON header, then Positions*Count*Layers*Hidden float32 values
    // (little-endian).
    static void Write(string path, Header expected, Tensor states)
    {
        var data = states.contiguous().bytes.ToArray();
        var header = JsonSerializer.SerializeToUtf8Bytes(
            expected with
            {
                DataSha256 = Convert.ToHexString(SHA256.HashData(data)),
            }
        );
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
    public static string Inspect(
        string cacheDir,
        ILanguageModel model,
        IReadOnlyList<string> texts,
        IReadOnlyList<AnswerSpan>? answers = null
    )
    {
        var expected = Expected(model, texts, answers);
        var (states, status) = TryRead(PathFor(cacheDir, expected), expected);
        states?.Dispose();
        return status;
    }

    static (Tensor? States, string Status) TryRead(string path, Header expected)
    {
        if (!File.Exists(path))
            return (null, "missing");
        try
        {
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length < 4)
                return (null, "truncated file");
            var headerLength = BitConverter.ToInt32(bytes, 0);
            if (headerLength <= 0 || headerLength > bytes.Length - 4)
                return (null, "bad header length");
            var header = JsonSerializer.Deserialize<Header>(bytes.AsSpan(4, headerLength));
            if (header is null)
                return (null, "empty header");
            if (header with { DataSha256 = "" } != expected)
                return (null, $"header mismatch: file has {header with { DataSha256 = "" }}, wanted {expected}");
            var positions = expected.Positions.Split(',').Length;
            var data = bytes.AsSpan(4 + headerLength);
            if (data.Length != (long)positions * expected.Count * expected.Layers * expected.Hidden * sizeof(float))
                return (
                    null,
                    $"data size {data.Length} bytes does not fit shape "
                        + $"[{positions}, {expected.Count}, {expected.Layers}, {expected.Hidden}]"
                );
            if (Convert.ToHexString(SHA256.HashData(data)) != header.DataSha256)
                return (null, "checksum mismatch (corrupt data)");
            var states = empty(positions, expected.Count, expected.Layers, expected.Hidden, dtype: float32);
            states.bytes = data;
            return (states, "valid");
        }
        catch (Exception e) when (e is JsonException or ArgumentException or IOException or NotSupportedException)
        {
            return (null, "unreadable: " + e.Message);
        }
    }
}
