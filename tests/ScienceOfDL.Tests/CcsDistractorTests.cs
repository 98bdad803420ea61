using ScienceOfDL.Ccs.Analysis;
using ScienceOfDL.Ccs.Data;
using ScienceOfDL.Ccs.Experiments;
using ScienceOfDL.Ccs.Probing;
using ScienceOfDL.LanguageModels;
using static TorchSharp.torch;

namespace ScienceOfDL.Tests;

/// <summary>Notebook 02's library: Farquhar et al.'s theorems computed, half-level probes, the distractor
/// protocol.</summary>
public class CcsDistractorTests
{
    static int[] Bits(int n, int seed)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => r.Next(2)).ToArray();
    }

    [Fact]
    public void Theorem1_any_feature_xor_claim_has_zero_loss_and_induces_that_feature()
    {
        foreach (var seed in new[] { 1, 2, 3 })
        {
            var h = Bits(200, seed);
            var p = Theorems.FeatureXorClaim(h);
            Assert.Equal(0, p.Loss(ConfidenceTerm.Symmetric), 12);
            Assert.Equal(0, p.Loss(ConfidenceTerm.Burns), 12);
            Assert.Equal(h.Select(b => 1 - b), p.Induced()); // h up to the sign
            Assert.Equal(1.0, Metrics.Accuracy(p.Scores(), h).Value);
        }
        // Softened bits cost the same loss whatever the feature: the loss cannot prefer truth over banana.
        var a = Theorems.FeatureXorClaim(Bits(200, 4), 0.8).Loss(ConfidenceTerm.Symmetric);
        var b = Theorems.FeatureXorClaim(Bits(200, 5), 0.8).Loss(ConfidenceTerm.Symmetric);
        Assert.True(a > 0.01);
        Assert.Equal(a, b, 9);
    }

    [Fact]
    public void Theorem2_relabelling_keeps_the_symmetric_loss_and_induces_any_target()
    {
        var r = new Random(7);
        var pos = Enumerable.Range(0, 300).Select(_ => r.NextDouble()).ToArray();
        var neg = Enumerable.Range(0, 300).Select(_ => r.NextDouble()).ToArray();
        var p = new HalfProbabilities(pos, neg);
        var target = Bits(300, 8);
        var q = Theorems.Relabel(p, target);
        Assert.Equal(target, q.Induced());
        Assert.Equal(p.Loss(ConfidenceTerm.Symmetric), q.Loss(ConfidenceTerm.Symmetric), 9);
        // The original confidence term only rewards outputs near 0, so flipping p → 1 − p changes it.
        Assert.NotEqual(p.Loss(ConfidenceTerm.Burns), q.Loss(ConfidenceTerm.Burns), 3);
        // Relabelling to its own labelling changes nothing.
        Assert.Equal(p.Pos, Theorems.Relabel(p, p.Induced()).Pos);
        Assert.Throws<ArgumentException>(() => Theorems.Relabel(p, new int[3]));
    }

    [Fact]
    public void Half_probes_lose_the_claim_after_normalisation_but_still_read_distractor_xor_claim()
    {
        var planted = PlantedData.Generate(
            new()
            {
                Count = 600,
                Dim = 32,
                Truth = 2,
                Distractor = 2,
                Seed = 5,
            }
        );
        var h = planted.Distractor;
        var (tr, te) = Metrics.TrainTestSplit(600, seed: 0);
        var raw = planted.Pairs;
        Assert.True(HalfProbe.HeldOutAccuracy(raw.Select(tr), raw.Select(te), HalfProbe.Claim, HalfProbe.Claim) > 0.99);
        var train = Normalization.Burns(raw.Select(tr));
        var test = Normalization.Burns(raw.Select(te));
        var claim = HalfProbe.HeldOutAccuracy(train, test, HalfProbe.Claim, HalfProbe.Claim);
        Assert.InRange(claim, 0.35, 0.65);
        var hTr = tr.Select(i => h[i]).ToArray();
        var hTe = te.Select(i => h[i]).ToArray();
        Assert.True(HalfProbe.HeldOutAccuracy(train, test, HalfProbe.XorClaim(hTr), HalfProbe.XorClaim(hTe)) > 0.95);
        Assert.True(
            HalfProbe.HeldOutAccuracy(train, test, HalfProbe.XorClaim(train.Labels), HalfProbe.XorClaim(test.Labels))
                > 0.95
        );
        // The bare question-level distractor is the same in both halves and was not planted outside the XOR:
        // unreadable.
        Assert.InRange(
            HalfProbe.HeldOutAccuracy(train, test, HalfProbe.Question(hTr), HalfProbe.Question(hTe)),
            0.35,
            0.65
        );
    }

    [Fact]
    public void A_direction_scaled_for_ccs_has_lower_loss_on_the_truth_than_a_random_direction()
    {
        var planted = PlantedData.Generate(
            new()
            {
                Count = 400,
                Dim = 32,
                Seed = 6,
            }
        );
        var pairs = Normalization.Burns(planted.Pairs);
        var truth = Metrics.ToArray(planted.TruthDirection);
        var random = Metrics.ToArray(randn(32, generator: Seeds.Generator(1)));
        var (good, scale) = Theorems.BestScaledLoss(pairs, truth, 0, ConfidenceTerm.Symmetric);
        var (bad, _) = Theorems.BestScaledLoss(pairs, random, 0, ConfidenceTerm.Symmetric);
        Assert.True(good < bad - 0.05, $"truth {good}, random {bad}");
        Assert.True(scale > 0.01);
        // The search includes scale 1, so it is never worse than the unscaled direction.
        var one = Theorems.BestScaledLoss(pairs, truth, 0, ConfidenceTerm.Symmetric, new[] { 1.0 }).Loss;
        Assert.True(good <= one + 1e-6);
    }

    [Fact]
    public void Distractor_protocol_scores_every_seed_against_truth_and_distractor()
    {
        var planted = PlantedData.Generate(
            new()
            {
                Count = 400,
                Dim = 32,
                Truth = 1,
                Distractor = 4,
                Seed = 2,
            }
        );
        var (tr, te) = Metrics.TrainTestSplit(400, seed: 0);
        var h = planted.Distractor;
        var run = DistractorExperiment.Run(
            "planted",
            planted.Pairs.Select(tr),
            planted.Pairs.Select(te),
            tr.Select(i => h[i]).ToArray(),
            te.Select(i => h[i]).ToArray(),
            CcsOptions.Farquhar with
            {
                Restarts = 6,
                Epochs = 300,
            }
        );
        Assert.Equal(6, run.Of(MethodNames.Ccs).Count());
        Assert.Single(run.Of(MethodNames.Ccs), s => s.IsBest);
        Assert.All(run.Of(MethodNames.Ccs), s => Assert.NotNull(s.TrainLoss));
        // The distractor dominates the differences: PCA follows it, supervised LR still finds the truth.
        var pca = run.Of(MethodNames.Pca).Single();
        Assert.True(pca.Distractor > 0.95 && pca.Truth < 0.7, $"{pca}");
        Assert.True(run.Of(MethodNames.LrPair).Single().Truth > 0.9);
        Assert.True(
            run.Of(DistractorExperiment.LrPairTrain).Single().Truth >= run.Of(MethodNames.LrPair).Single().Truth - 0.02
        );
        Assert.InRange(run.FractionFollowing(), 0, 1);
        Assert.Equal(
            run.Of(MethodNames.Ccs).Average(s => s.Distractor >= 0.75 && s.Distractor > s.Truth ? 1.0 : 0),
            run.FractionFollowing()
        );
    }

    [Fact]
    public void Cells_count_the_seeds_that_follow_and_how_their_distractor_accuracies_spread()
    {
        var planted = PlantedData.Generate(
            new()
            {
                Count = 400,
                Dim = 32,
                Truth = 1,
                Distractor = 4,
                Seed = 2,
            }
        );
        var (tr, te) = Metrics.TrainTestSplit(400, seed: 0);
        var h = planted.Distractor;
        var run = DistractorExperiment.Run(
            "planted",
            planted.Pairs.Select(tr),
            planted.Pairs.Select(te),
            tr.Select(i => h[i]).ToArray(),
            te.Select(i => h[i]).ToArray(),
            CcsOptions.BurnsPaper with
            {
                Restarts = 8,
                Epochs = 300,
            }
        );
        var cell = new DistractorCell("planted", TokenPosition.Answer, Scaling.PerHalf, Centring.PerHalf, 1, "f");
        var rows = DistractorCells.Rows(cell, "banana/shed", run).ToList();
        Assert.All(rows, r => Assert.Equal(("planted · Answer · PerHalf", te.Length), (r.Cell, r.TestPairs)));
        var line = Assert.Single(DistractorCells.Following(rows));
        var ccs = run.Of(MethodNames.Ccs).ToList();
        Assert.Equal(ccs.Count(s => s.Follows()), line.CcsFollowing);
        Assert.Equal(run.Of(MethodNames.Random).Count(s => s.Follows()), line.UntrainedFollowing);
        Assert.Equal(8, line.Seeds);
        Assert.Equal(line.Seeds, line.SeedsBelow60 + line.SeedsBetween + line.SeedsAbove90);
        Assert.Equal(run.Of(MethodNames.Pca).Single().Distractor, line.PcaDistractor);
        Assert.True(line.PcaDistractor > 0.95);
        Assert.InRange(line.PFisherVsUntrained, 0, 1);
    }

    [Fact]
    public void Oriented_accuracy_picks_the_sign_on_one_subset_and_measures_another()
    {
        // Right on the first four rows, wrong on the last four: oriented on the first half it scores 0 on the second.
        var scores = new float[] { 1, -1, 1, -1, -1, 1, -1, 1 };
        var labels = new[] { 1, 0, 1, 0, 1, 0, 1, 0 };
        var first = new[] { true, true, true, true, false, false, false, false };
        var second = first.Select(b => !b).ToArray();
        Assert.Equal(0.0, DistractorExperiment.OrientedAccuracy(scores, labels, first, second));
        Assert.Equal(1.0, DistractorExperiment.OrientedAccuracy(scores, labels, second, second));
        Assert.Equal(1.0, DistractorExperiment.OrientedAccuracy(scores, labels, first, first));
    }

    [Fact]
    public void Subset_scores_orient_unsupervised_methods_on_one_subset_but_never_flip_supervised_ones()
    {
        var planted = PlantedData.Generate(
            new()
            {
                Count = 300,
                Dim = 32,
                Seed = 4,
            }
        );
        var (tr, te) = Metrics.TrainTestSplit(300, seed: 0);
        var cmp = MethodComparison.Run(
            planted.Pairs.Select(tr),
            planted.Pairs.Select(te),
            new CcsOptions { Restarts = 2, Epochs = 200 }
        );
        var first = Enumerable.Range(0, te.Length).Select(i => i % 2 == 0).ToArray();
        var rows = DistractorExperiment.SubsetScores(
            "s",
            cmp,
            first,
            new Dictionary<string, bool[]> { ["odd"] = first.Select(b => !b).ToArray() }
        );
        Assert.Equal(cmp.Methods.Sum(m => m.Scores.Length), rows.Count);
        Assert.True(rows.Single(r => r.Method == MethodNames.LrPair).Accuracy > 0.95);
        Assert.True(rows.Single(r => r.Method == MethodNames.Pca).Accuracy > 0.95);
        Assert.Single(rows, r => r.IsBest);
    }
}
