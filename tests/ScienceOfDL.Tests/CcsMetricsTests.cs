using ScienceOfDL.Ccs.Analysis;
using ScienceOfDL.Ccs.Data;
using static TorchSharp.torch;

namespace ScienceOfDL.Tests;

public class CcsMetricsTests
{
    [Fact]
    public void Sign_disambiguation_takes_the_better_orientation_and_says_so()
    {
        int[] labels = [1, 0, 1, 0, 1];
        var right = Metrics.Accuracy(new[] { 2f, -1f, 0.5f, -3f, -0.1f }, labels); // 4 of 5 right
        Assert.Equal(0.8, right.Value, 10);
        Assert.False(right.Flipped);
        var wrong = Metrics.Accuracy(new[] { -2f, 1f, -0.5f, 3f, 0.1f }, labels); // 1 of 5 right as given
        Assert.Equal(0.8, wrong.Value, 10);
        Assert.True(wrong.Flipped);
        Assert.Equal(0.2, wrong.Raw, 10);
        Assert.Equal(labels.Select(l => 1 - l).Take(4), Metrics.Predict(new[] { -2f, 1f, -0.5f, 3f, 0.1f }).Take(4));
        Assert.Equal(labels.Take(4), Metrics.Predict(new[] { -2f, 1f, -0.5f, 3f, 0.1f }, flipped: true).Take(4));
    }

    [Fact]
    public void Auroc_matches_a_hand_example()
    {
        // Positives 0.35, 0.8; negatives 0.1, 0.4: of the 4 (pos, neg) pairs, 3 are ordered correctly → 0.75.
        Assert.Equal(0.75, Metrics.Auroc(new[] { 0.1f, 0.4f, 0.35f, 0.8f }, new[] { 0, 0, 1, 1 }), 10);
        // A tie between a positive and a negative counts one half: pairs (0.5 vs 0.5) = ½, (0.9 vs 0.5) = 1 → 0.75.
        Assert.Equal(0.75, Metrics.Auroc(new[] { 0.5f, 0.5f, 0.9f }, new[] { 0, 1, 1 }), 10);
        Assert.Equal(0.25, Metrics.Auroc(new[] { 0.9f, 0.3f, 0.4f, 0.2f }, new[] { 0, 0, 1, 1 }), 10);
        Assert.Equal(0.75, Metrics.DisambiguatedAuroc(new[] { -0.1f, -0.4f, -0.35f, -0.8f }, new[] { 0, 0, 1, 1 }), 10);
    }

    [Fact]
    public void Accuracies_of_a_batch_are_row_by_row()
    {
        var scores = tensor(new float[] { 1, -1, 1, -1, -1, 1 }).reshape(2, 3);
        var acc = Metrics.Accuracies(scores, new[] { 1, 0, 0 });
        Assert.Equal(2.0 / 3, acc[0].Value, 10);
        Assert.False(acc[0].Flipped);
        Assert.Equal(2.0 / 3, acc[1].Value, 10);
        Assert.True(acc[1].Flipped);
    }

    [Fact]
    public void Split_is_60_40_seeded_disjoint_and_keeps_groups_together()
    {
        var (train, test) = Metrics.TrainTestSplit(1000, seed: 3);
        Assert.Equal(600, train.Length);
        Assert.Equal(400, test.Length);
        Assert.Empty(train.Intersect(test));
        Assert.Equal(train, Metrics.TrainTestSplit(1000, seed: 3).Train);
        Assert.NotEqual(train, Metrics.TrainTestSplit(1000, seed: 4).Train);

        var groups = Enumerable.Range(0, 300).Select(i => i / 3).ToArray(); // 100 questions × 3 templates
        var (gTrain, gTest) = Metrics.TrainTestSplit(300, seed: 3, groups: groups);
        Assert.Equal(180, gTrain.Length);
        Assert.Empty(gTrain.Select(i => groups[i]).Intersect(gTest.Select(i => groups[i])));
    }

    [Fact]
    public void Study_split_is_60_20_20_by_group_with_the_60_40_splits_training_side()
    {
        var groups = Enumerable.Range(0, 1000).Select(i => i / 4).ToArray(); // 250 questions × 4 templates
        var split = Metrics.StudySplit(1000, seed: 3, groups);
        Assert.Equal((600, 200, 200), (split.Train.Length, split.Validation.Length, split.Test.Length));
        Assert.Equal(Enumerable.Range(0, 1000), split.Train.Concat(split.Validation).Concat(split.Test).Order());
        int[] G(int[] rows) => rows.Select(i => groups[i]).Distinct().ToArray();
        Assert.Empty(G(split.Train).Intersect(G(split.Validation)));
        Assert.Empty(G(split.Train).Intersect(G(split.Test)));
        Assert.Empty(G(split.Validation).Intersect(G(split.Test)));
        var (train, test) = Metrics.TrainTestSplit(1000, seed: 3, groups: groups);
        Assert.Equal(train, split.Train);
        Assert.Equal(test.Order(), split.Validation.Concat(split.Test).Order());
        Assert.NotEqual(split.Test, Metrics.StudySplit(1000, seed: 4, groups).Test);
    }

    [Fact]
    public void An_orientation_fixed_elsewhere_can_leave_accuracy_below_one_half()
    {
        float[] scores = [1, 1, -1, -1];
        Assert.Equal(0.75, Metrics.OrientedAccuracy(scores, [1, 1, 0, 1], flipped: false), 10);
        Assert.Equal(0.25, Metrics.OrientedAccuracy(scores, [1, 1, 0, 1], flipped: true), 10);
    }

    [Fact]
    public void Summaries_and_agreement()
    {
        var s = Metrics.Summarize(new double[] { 5, 1, 4, 2, 3 });
        Assert.Equal((1.0, 2.0, 3.0, 4.0, 5.0, 3.0), (s.Min, s.Q25, s.Median, s.Q75, s.Max, s.Mean));
        Assert.Equal(Math.Sqrt(2.5), s.Std, 10);
        Assert.Equal(0.75, Metrics.Agreement(new[] { 1, 0, 1, 1 }, new[] { 1, 0, 0, 1 }), 10);
        Assert.Equal(0.9 * 0.8 + 0.1 * 0.2, Metrics.IndependentAgreement(0.9, 0.8), 10);
        Assert.Equal(0.5, Metrics.IndependentAgreement(0.5, 0.97), 10); // a coin agrees with anything half the time
    }

    [Fact]
    public void Variance_of_projected_differences_splits_into_the_four_terms()
    {
        // raw: means are not zero
        var pairs = PlantedData
            .Generate(
                new PlantedOptions
                {
                    Count = 200,
                    Dim = 24,
                    Seed = 2,
                }
            )
            .Pairs;
        using var g = Seeds.Generator(5);
        var theta = randn(new long[] { 24 }, generator: g);
        theta /= theta.norm();
        var v = VarianceDecomposition.Of(pairs, theta);
        Assert.Equal(v.Variance, v.Sum, 6);
        Assert.True(Math.Abs(v.MeanTerm) > 1e-3); // the mean term matters before normalisation
        var diff = Metrics.ToArray(matmul(pairs.Pos - pairs.Neg, theta)).Select(x => (double)x).ToArray();
        var mean = diff.Average();
        Assert.Equal(diff.Sum(x => (x - mean) * (x - mean)) / diff.Length, v.Variance, 3);
    }
}
