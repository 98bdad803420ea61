using ScienceOfDL.LanguageModels;
using static TorchSharp.torch;

namespace ScienceOfDL.Tests.LanguageModels;

public class HiddenStateCacheTests
{
    static readonly string[] Texts = ["the cat sat on the mat.", "a dog", "yes", "no"];

    /// <summary>Counts real extractions, so a test can tell a cache hit from a recomputation.</summary>
    sealed class Counting(ILanguageModel inner) : ILanguageModel
    {
        public int Calls;
        public string Name => inner.Name;
        public int NumLayers => inner.NumLayers;
        public int HiddenSize => inner.HiddenSize;
        public Device Device => inner.Device;

        public Tensor HiddenStates(
            IReadOnlyList<string> texts,
            IReadOnlyList<TokenPosition> positions,
            IReadOnlyList<AnswerSpan>? answers = null,
            int batchSize = 32,
            IProgress<ExtractionProgress>? progress = null
        )
        {
            Calls++;
            return inner.HiddenStates(texts, positions, answers, batchSize, progress);
        }

        public void Dispose() => inner.Dispose();
    }

    static Counting TinyModel() =>
        new(HuggingFaceCheckpoint.Load(TinyCheckpoints.WriteBert(TinyCheckpoints.NewFolder()), CPU));

    [Fact]
    public void Second_request_reads_the_file_instead_of_recomputing()
    {
        var dir = TinyCheckpoints.NewFolder();
        using var model = TinyModel();
        Assert.Equal("missing", HiddenStateCache.Inspect(dir, model, Texts));
        using var a = HiddenStateCache.HiddenStates(model, Texts, TokenPosition.Last, dir);
        Assert.Equal("valid", HiddenStateCache.Inspect(dir, model, Texts));
        using var b = HiddenStateCache.HiddenStates(model, Texts, TokenPosition.Last, dir);
        Assert.Equal(1, model.Calls);
        Assert.Equal(a.shape, b.shape);
        Assert.True(a.allclose(b, rtol: 0, atol: 0));
        // Another token position is read from the same file (every position came from the one forward pass)...
        using var c = HiddenStateCache.HiddenStates(model, Texts, TokenPosition.Mean, dir);
        Assert.Equal(1, model.Calls);
        Assert.False(a.allclose(c));
        using var direct = ((ILanguageModel)model).HiddenStates(Texts, TokenPosition.Mean);
        Assert.True(c.allclose(direct, rtol: 0, atol: 0));
        // ...while other texts, or the same texts with answer spans, are other entries.
        using var d = HiddenStateCache.HiddenStates(model, Texts[..3], TokenPosition.Last, dir);
        AnswerSpan[] spans = [new(7, 4), new(1, 4), new(0, 3), new(0, 2)];
        using var e = HiddenStateCache.HiddenStates(
            model,
            Texts,
            spans,
            [TokenPosition.Answer, TokenPosition.Last],
            dir
        );
        Assert.Equal(4, model.Calls); // 3 cache misses plus the direct call
        Assert.True(e[1].allclose(a, rtol: 0, atol: 0));
        Assert.Throws<ArgumentException>(() =>
            HiddenStateCache.HiddenStates(model, Texts, null, [TokenPosition.Answer], dir)
        );
    }

    [Fact]
    public void Corrupt_data_is_detected_and_rebuilt()
    {
        var dir = TinyCheckpoints.NewFolder();
        using var model = TinyModel();
        using var good = HiddenStateCache.HiddenStates(model, Texts, TokenPosition.Last, dir);
        var path = HiddenStateCache.PathFor(dir, model, Texts);
        var bytes = File.ReadAllBytes(path);
        bytes[^5] ^= 0x40; // one flipped bit in the data
        File.WriteAllBytes(path, bytes);
        Assert.StartsWith("checksum mismatch", HiddenStateCache.Inspect(dir, model, Texts));

        using var rebuilt = HiddenStateCache.HiddenStates(model, Texts, TokenPosition.Last, dir);
        Assert.Equal(2, model.Calls);
        Assert.True(rebuilt.allclose(good, rtol: 0, atol: 0));
        Assert.Equal("valid", HiddenStateCache.Inspect(dir, model, Texts));
    }

    [Fact]
    public void Truncated_or_garbage_files_are_rebuilt()
    {
        var dir = TinyCheckpoints.NewFolder();
        using var model = TinyModel();
        using var good = HiddenStateCache.HiddenStates(model, Texts, TokenPosition.First, dir);
        var path = HiddenStateCache.PathFor(dir, model, Texts);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^16]);
        Assert.StartsWith("data size", HiddenStateCache.Inspect(dir, model, Texts));
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.NotEqual("valid", HiddenStateCache.Inspect(dir, model, Texts));
        File.WriteAllText(path, "\u0010\0\0\0{not json at all}");
        Assert.StartsWith("unreadable", HiddenStateCache.Inspect(dir, model, Texts));
        using var rebuilt = HiddenStateCache.HiddenStates(model, Texts, TokenPosition.First, dir);
        Assert.Equal(2, model.Calls);
        Assert.True(rebuilt.allclose(good, rtol: 0, atol: 0));
    }

    [Fact]
    public void A_file_for_other_texts_or_another_model_is_not_used()
    {
        var dir = TinyCheckpoints.NewFolder();
        using var model = TinyModel();
        string[] other = ["the dog sat", "a cat"];
        using var forTexts = HiddenStateCache.HiddenStates(model, Texts, TokenPosition.Last, dir);
        // Put the first file where the other texts' file belongs: its header names other texts and a different count.
        File.Copy(HiddenStateCache.PathFor(dir, model, Texts), HiddenStateCache.PathFor(dir, model, other));
        Assert.StartsWith("header mismatch", HiddenStateCache.Inspect(dir, model, other));
        using var forOther = HiddenStateCache.HiddenStates(model, other, TokenPosition.Last, dir);
        Assert.Equal([2L, 3, 8], forOther.shape);
        Assert.Equal(2, model.Calls);

        // A different checkpoint (other seed) has another name, hence another entry.
        using var otherModel = new Counting(
            HuggingFaceCheckpoint.Load(TinyCheckpoints.WriteBert(TinyCheckpoints.NewFolder(), seed: 9), CPU)
        );
        Assert.NotEqual(model.Name, otherModel.Name);
        Assert.Equal("missing", HiddenStateCache.Inspect(dir, otherModel, Texts));
    }

    [Fact]
    public void Texts_hash_depends_on_boundaries_and_order()
    {
        Assert.NotEqual(HiddenStateCache.TextsHash(["ab", "c"]), HiddenStateCache.TextsHash(["a", "bc"]));
        Assert.NotEqual(HiddenStateCache.TextsHash(["a", "b"]), HiddenStateCache.TextsHash(["b", "a"]));
        Assert.Equal(HiddenStateCache.TextsHash(["a", "b"]), HiddenStateCache.TextsHash(new List<string> { "a", "b" }));
        var withSpan = HiddenStateCache.TextsHash(["a b"], [new AnswerSpan(1, 2)]);
        Assert.NotEqual(HiddenStateCache.TextsHash(["a b"]), withSpan);
        Assert.NotEqual(HiddenStateCache.TextsHash(["a b"], [new AnswerSpan(0, 1)]), withSpan);
    }
}
