using ScienceOfDL.LanguageModels;
using TorchSharp;
using static TorchSharp.torch;

namespace ScienceOfDL.Tests.LanguageModels;

/// <summary>Hidden states at every layer of the packaged MiniLM: pooling, batching and progress.</summary>
public class HiddenStatesTests
{
    static readonly string[] Texts = MiniLmTests.Sentences[..10];

    [Fact]
    public void Every_layer_at_each_position_agrees_with_the_raw_forward_pass()
    {
        using var model = (LanguageModel)MiniLm.Load(CPU);
        Assert.Equal((6, 384, MiniLm.Name), (model.NumLayers, model.HiddenSize, model.Name));
        var reports = new List<ExtractionProgress>();
        using var last = model.HiddenStates(
            Texts,
            TokenPosition.Last,
            batchSize: 4,
            progress: new SyncProgress(reports.Add)
        );
        using var first = model.HiddenStates(Texts, TokenPosition.First, batchSize: 4);
        using var mean = model.HiddenStates(Texts, TokenPosition.Mean, batchSize: 4);
        Assert.Equal([10L, 7, 384], last.shape);
        Assert.Equal(ScalarType.Float32, last.dtype);
        Assert.Equal(DeviceType.CPU, last.device_type);
        Assert.Equal(new ExtractionProgress(10, 10, TimeSpan.Zero) with { Elapsed = reports[^1].Elapsed }, reports[^1]);

        // Reference: each text alone through the encoder, read off by hand.
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var encoder = MiniLm.LoadEncoder(CPU);
        for (var i = 0; i < Texts.Length; i++)
        {
            var (ids, mask) = model.Pad([model.Encode(Texts[i])]);
            var layers = stack(encoder.Forward(ids, mask), dim: 0)[.., 0]; // [7, tokens, 384]
            Assert.True(last[i].allclose(layers[.., -1], rtol: 1e-4, atol: 1e-5), $"last token, text {i}");
            Assert.True(first[i].allclose(layers[.., 0], rtol: 1e-4, atol: 1e-5), $"first token, text {i}");
            Assert.True(mean[i].allclose(layers.mean([1]), rtol: 1e-4, atol: 1e-5), $"mean, text {i}");
        }
        encoder.Dispose();
        // Layers are different views, not copies.
        Assert.True((last[.., 0] - last[.., 6]).abs().max().item<float>() > 0.1);
    }

    [Fact]
    public void Contrast_pairs_differ_at_the_last_token()
    {
        // CCS compares "... Yes" with "... No": their representations must differ where the answer is.
        using var model = MiniLm.Load(CPU);
        using var s = model.HiddenStates([MiniLmTests.Sentences[2], MiniLmTests.Sentences[3]], TokenPosition.Last);
        Assert.True((s[0, 6] - s[1, 6]).norm().item<float>() > 0.1);
    }

    /// <summary>IProgress that reports on the calling thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    sealed class SyncProgress(Action<ExtractionProgress> report) : IProgress<ExtractionProgress>
    {
        public void Report(ExtractionProgress value) => report(value);
    }
}
