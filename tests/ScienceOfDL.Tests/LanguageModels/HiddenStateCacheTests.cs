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
        public Tensor HiddenStates(IReadOnlyList<string> texts, TokenPosition position, int batchSize = 32,
            IProgress<ExtractionProgress>? progress = null)
        {
            Calls++;
            return inner.HiddenStates(texts, position, batchSize, progress);
        }
        public void Dispose() => inner.Dispose();
    }

    static Counting TinyModel() => new(HuggingFaceCheckpoint.Load(TinyCheckpoints.WriteBert(TinyCheckpoints.NewFolder()), CPU));

    [Fact]
    public void Second_request_reads_the_file_instead_of_recomputing()
    {
        var dir = TinyCheckpoints.NewFolder();
        using var model = TinyModel();
        Assert.Equal("missing", HiddenStateCache.Inspect(dir, model, Texts, TokenPosition.Last));
        using var a = HiddenStateCache.HiddenStates(model, Texts, TokenPosition.Last, dir);
        Assert.Equal("valid", HiddenStateCache.Inspect(dir, model, Texts, TokenPosition.Last));
        using var b = HiddenStateCache.HiddenStates(model, Texts, TokenPosition.Last, dir);
        Assert.Equal(1, model.Calls);
        Assert.Equal(a.shape, b.shape);
        Assert.True(a.allclose(b, rtol: 0, atol: 0));
        // Another token choice or other texts are other entries.
        using var c = HiddenStateCache.HiddenStates(model, Texts, TokenPosition.Mean, dir);
        using var d = HiddenStateCache.HiddenStates(model, Texts[..3], TokenPosition.Last, dir);
        Assert.Equal(3, model.Calls);
        Assert.False(a.allclose(c));
    }

    [Fact]
    public void Corrupt_data_is_detected_and_rebuilt()
    {
        var dir = TinyCheckpoints.NewFolder();
        using var model = TinyModel();
        using var good = HiddenStateCache.HiddenStates(model, Texts, TokenPosition.Last, dir);
        var path = HiddenStateCache.PathFor(dir, model, Texts, TokenPosition.Last);
        var bytes = File.ReadAllBytes(path);
        bytes[^5] ^= 0x40; // one flipped bit in the data
        File.WriteAllBytes(path, bytes);
        Assert.StartsWith("checksum mismatch", HiddenStateCache.Inspect(dir, model, Texts, TokenPosition.Last));

        using var rebuilt = HiddenStateCache.HiddenStates(model, Texts, TokenPosition.Last, dir);
        Assert.Equal(2, model.Calls);
        Assert.True(rebuilt.allclose(good, rtol: 0, atol: 0));
        Assert.Equal("valid", HiddenStateCache.Inspect(dir, model, Texts, TokenPosition.Last));
    }

    [Fact]
    public void Truncated_or_garbage_files_are_rebuilt()
    {
        var dir = TinyCheckpoints.NewFolder();
        using var model = TinyModel();
        using var good = HiddenStateCache.HiddenStates(model, Texts, TokenPosition.First, dir);
        var path = HiddenStateCache.PathFor(dir, model, Texts, TokenPosition.First);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^16]);
        Assert.StartsWith("data size", HiddenStateCache.Inspect(dir, model, Texts, TokenPosition.First));
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.NotEqual("valid", HiddenStateCache.Inspect(dir, model, Texts, TokenPosition.First));
        File.WriteAllText(path, "\u0010\0\0\0{not json at all}");
        Assert.StartsWith("unreadable", HiddenStateCache.Inspect(dir, model, Texts, TokenPosition.First));
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
        File.Copy(HiddenStateCache.PathFor(dir, model, Texts, TokenPosition.Last), HiddenStateCache.PathFor(dir, model, other, TokenPosition.Last));
        Assert.StartsWith("header mismatch", HiddenStateCache.Inspect(dir, model, other, TokenPosition.Last));
        using var forOther = HiddenStateCache.HiddenStates(model, other, TokenPosition.Last, dir);
        Assert.Equal([2L, 3, 8], forOther.shape);
        Assert.Equal(2, model.Calls);

        // A different checkpoint (other seed) has another name, hence another entry.
        using var otherModel = new Counting(HuggingFaceCheckpoint.Load(TinyCheckpoints.WriteBert(TinyCheckpoints.NewFolder(), seed: 9), CPU));
        Assert.NotEqual(model.Name, otherModel.Name);
        Assert.Equal("missing", HiddenStateCache.Inspect(dir, otherModel, Texts, TokenPosition.Last));
    }

    [Fact]
    public void Texts_hash_depends_on_boundaries_and_order()
    {
        Assert.NotEqual(HiddenStateCache.TextsHash(["ab", "c"]), HiddenStateCache.TextsHash(["a", "bc"]));
        Assert.NotEqual(HiddenStateCache.TextsHash(["a", "b"]), HiddenStateCache.TextsHash(["b", "a"]));
        Assert.Equal(HiddenStateCache.TextsHash(["a", "b"]), HiddenStateCache.TextsHash(new List<string> { "a", "b" }));
    }
}
