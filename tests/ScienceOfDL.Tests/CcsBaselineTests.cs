using ScienceOfDL.Ccs.Analysis;
using ScienceOfDL.Ccs.Baselines;
using ScienceOfDL.Ccs.Data;
using ScienceOfDL.Ccs.Probing;
using static TorchSharp.torch;

namespace ScienceOfDL.Tests;

public class CcsBaselineTests
{
    static double Acc(LinearScorer s, HiddenPairs test) => Metrics.Accuracy(s.Scores(test), test.Labels).Value;

    [Fact]
    public void Supervised_logistic_regression_is_near_perfect_on_planted_data()
    {
        var (train, test, _) = CcsProbeTests.Planted();
        var concat = LogisticRegression.Fit(train, PairFeatures.Concatenated);
        var diff = LogisticRegression.Fit(train, PairFeatures.Difference);
        Assert.True(Acc(concat, test) >= 0.99);
        Assert.True(Acc(diff, test) >= 0.99);
        // Supervised: no sign ambiguity, the raw orientation is already right.
        Assert.False(Metrics.Accuracy(concat.Scores(test), test.Labels).Flipped);
        Assert.False(Metrics.Accuracy(diff.Scores(test), test.Labels).Flipped);
        Assert.Equal(Metrics.ToArray(diff.WPos), Metrics.ToArray(-diff.WNeg));
    }

    [Fact]
    public void Pca_bss_and_kmeans_find_the_planted_truth()
    {
        var (train, test, planted) = CcsProbeTests.Planted();
        var pca = Pca.Fit(train, components: 3);
        Assert.True(Acc(pca.Scorer(), test) >= 0.99);
        Assert.True(Math.Abs((pca.Components[0] * planted.TruthDirection).sum().item<float>()) > 0.95);
        Assert.True(pca.VarianceRatio[0] > pca.VarianceRatio[1]);
        Assert.Equal(new long[] { 3, 64 }, pca.Components.shape);
        Assert.Equal(new long[] { test.Count, 3 }, pca.Project(test).shape);

        var bss = Bss.Fit(train, seed: 1);
        Assert.True(Acc(bss.Scorer(), test) >= 0.99);
        Assert.Equal(bss.RestartLosses.Min(), bss.Loss);
        Assert.True(bss.Loss < 0.2); // two tight clusters: within-side variance far below the total

        var kmeans = KMeans.Fit(train, seed: 1);
        Assert.True(Acc(kmeans.Scorer(), test) >= 0.99);
    }

    [Fact]
    public void Random_probes_are_worse_and_spread_out()
    {
        var (train, test, _) = CcsProbeTests.Planted();
        var options = new CcsOptions { Restarts = 20 };
        var random = RandomProbe.Draw(train, options);
        var accuracies = Metrics.Accuracies(random.Scores(test), test.Labels);
        var summary = Metrics.Summarize(accuracies.Select(a => a.Value));
        Assert.True(summary.Mean < 0.95, $"random probes average {summary.Mean}");
        Assert.True(summary.Max - summary.Min > 0.1);
        // A random direction has no preferred sign: some of the 20 point at the truth, some away from it (raw
        // accuracy below one half, so disambiguation flips them).
        Assert.InRange(accuracies.Count(a => a.Flipped), 3, 17);
        Assert.All(accuracies, a => Assert.Equal(a.Flipped, a.Raw < 0.5));
    }

    [Fact]
    public void A_stronger_planted_distractor_captures_pca_but_not_supervised_regression()
    {
        var (train, test, planted) = CcsProbeTests.Planted(new PlantedOptions { Distractor = 6, DistractorShared = 3 });
        var testRows = Metrics.TrainTestSplit(planted.Pairs.Count, seed: 1).Test;
        var distractorOfTest = testRows.Select(i => planted.Distractor[i]).ToArray();
        var pca = Pca.Fit(train).Scorer().Scores(test);
        Assert.True(Metrics.Accuracy(pca, distractorOfTest).Value >= 0.99); // PCA reads distractor ⊕ claim...
        Assert.True(Metrics.Accuracy(pca, test.Labels).Value < 0.6); // ...and so is near chance on the truth
        Assert.True(Acc(LogisticRegression.Fit(train), test) >= 0.99);
    }
}
