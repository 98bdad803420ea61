using ScienceOfDL.Ccs.Analysis;
using ScienceOfDL.Ccs.Data;
using ScienceOfDL.Ccs.Experiments;
using ScienceOfDL.Ccs.Probing;
using ScienceOfDL.LanguageModels;
using static TorchSharp.torch;

namespace ScienceOfDL.Tests;

/// <summary>The glue notebooks use: contrast pairs → hidden states → every method on a train/test split.</summary>
public class CcsPipelineTests
{
    [Fact]
    public void Method_comparison_recovers_a_planted_truth_with_every_method_but_random()
    {
        var planted = PlantedData.Generate(
            new()
            {
                Count = 500,
                Dim = 32,
                Seed = 3,
            }
        );
        var (tr, te) = Metrics.TrainTestSplit(planted.Pairs.Count, seed: 1);
        var cmp = MethodComparison.Run(
            planted.Pairs.Select(tr),
            planted.Pairs.Select(te),
            new CcsOptions { Restarts = 4, Epochs = 300 }
        );
        var labels = cmp.Test.Labels;
        Assert.Equal(MethodNames.All, cmp.Methods.Select(m => m.Method));
        foreach (var name in MethodNames.All.Where(n => n != MethodNames.Random))
            Assert.True(cmp[name].Accuracy(labels).Value >= 0.97, $"{name}: {cmp[name].Accuracy(labels).Value}");
        Assert.Equal(4, cmp[MethodNames.Ccs].Scores.Length);
        Assert.Equal(cmp.Ccs.Best, cmp[MethodNames.Ccs].Best);
        Assert.True(cmp[MethodNames.Random].Accuracies(labels).Average() < 0.97);
        // Predictions are oriented to the labels they are compared with.
        Assert.True(
            cmp[MethodNames.Ccs].Predictions(labels).Zip(labels).Count(p => p.First == p.Second) >= 0.97 * labels.Length
        );
    }

    [Fact]
    public void Pair_activations_hold_both_halves_at_every_layer_and_split_by_question()
    {
        var data = Datasets.MovieReviews.Load().RequireClean();
        var pairs = ContrastPairs.Build(
            data.Examples,
            Datasets.MovieReviews.Templates.Take(2).ToList(),
            seed: 0,
            take: 6
        );
        using var lm = MiniLm.Load(CPU);
        var cache = Directory.CreateTempSubdirectory("sodl-pairs-").FullName;
        try
        {
            var acts = PairActivations.Extract(lm, pairs, TokenPosition.Last, cacheDir: cache);
            Assert.Equal(new long[] { 12, 7, 384 }, acts.Pos.shape);
            Assert.Equal(acts.Pos.shape, acts.Neg.shape);
            // Each row is that pair's own text: x⁺ and x⁻ differ only in the answer, so their states differ.
            var direct = lm.HiddenStates([pairs[5].Positive], TokenPosition.Last);
            Assert.True(allclose(direct[0], acts.Pos[5], rtol: 1e-4, atol: 1e-5));
            Assert.False(allclose(acts.Pos[5], acts.Neg[5]));

            var layer = acts.AtLayer(6);
            Assert.Equal(new long[] { 12, 384 }, layer.Pos.shape);
            Assert.Equal(pairs.Select(p => p.Label), layer.Labels);
            Assert.Throws<ArgumentOutOfRangeException>(() => acts.AtLayer(7));

            var (tr, te) = acts.Split(seed: 0);
            var trainIds = tr.Select(i => pairs[i].Id).ToHashSet();
            Assert.DoesNotContain(te, i => trainIds.Contains(pairs[i].Id));
            Assert.Equal(12, tr.Length + te.Length);
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }
}
