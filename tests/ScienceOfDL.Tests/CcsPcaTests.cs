using ScienceOfDL.Ccs.Analysis;
using ScienceOfDL.Ccs.Baselines;
using ScienceOfDL.Ccs.Data;
using ScienceOfDL.Ccs.Experiments;
using ScienceOfDL.Ccs.Probing;
using static TorchSharp.torch;

namespace ScienceOfDL.Tests;

/// <summary>Notebook 03's pieces: the variance decomposition against PCA, direction cosines, the agreement statistic,
/// the loss landscape.</summary>
public class CcsPcaTests
{
    static HiddenPairs NormalisedPlanted(int seed = 1) =>
        Normalization.Burns(
            PlantedData
                .Generate(
                    new PlantedOptions
                    {
                        Count = 400,
                        Dim = 24,
                        Seed = seed,
                    }
                )
                .Pairs
        );

    static Tensor RandomUnit(int dim, int seed)
    {
        using var g = Seeds.Generator(seed);
        var t = randn(new long[] { dim }, generator: g);
        return t / t.norm();
    }

    [Fact]
    public void Top_principal_component_maximises_the_decomposed_variance_and_normalisation_zeroes_the_mean_term()
    {
        var pairs = NormalisedPlanted();
        var pca = Pca.Fit(pairs);
        var top = VarianceDecomposition.Of(pairs, pca.Components[0]);
        Assert.Equal(top.Variance, top.Sum, 5);
        // each half centred → E[X] = E[Y] = 0
        Assert.Equal(0, top.MeanTerm, 8);
        // Population variance along PC1 is PCA's (sample) variance × (n − 1)/n.
        Assert.Equal(pca.Variance[0] * (pairs.Count - 1) / pairs.Count, top.Variance, 3);
        for (var s = 0; s < 20; s++)
        {
            var v = VarianceDecomposition.Of(pairs, RandomUnit(pairs.Dim, 100 + s));
            Assert.Equal(v.Variance, v.Sum, 5);
            Assert.True(v.Variance <= top.Variance + 1e-6, $"random direction {s}: {v.Variance} > PC1 {top.Variance}");
        }
    }

    [Fact]
    public void Consistency_like_part_matches_confidence_like_part_only_when_the_halves_project_oppositely()
    {
        using var g = Seeds.Generator(3);
        var x = randn(new long[] { 50, 6 }, generator: g);
        var theta = RandomUnit(6, 4);
        // Y = −X: perfectly consistent
        var opposite = VarianceDecomposition.Of(HiddenPairs.Of(x, -x, new int[50]), theta);
        Assert.Equal(opposite.ConfidenceLike, opposite.ConsistencyLike, 6);
        // Y = X: differences vanish
        var same = VarianceDecomposition.Of(HiddenPairs.Of(x, x.clone(), new int[50]), theta);
        Assert.Equal(-same.ConfidenceLike, same.ConsistencyLike, 6);
        Assert.Equal(0, same.Variance, 8);
    }

    [Fact]
    public void Agreement_statistic_orients_to_truth_averages_over_rows_and_compares_with_independence()
    {
        int[] labels = [1, 1, 1, 1, 0, 0, 0, 0, 1, 0];
        var pca = new MethodScores(
            "PCA",
            [
                [1, 1, 1, -1, -1, -1, -1, 1, 1, -1],
            ]
        ); // 8/10 right
        // Row 0 copies PCA with the sign flipped (same partition); row 1 errs on two other pairs.
        var ccs = new MethodScores(
            "CCS",
            [
                [-1, -1, -1, 1, 1, 1, 1, -1, -1, 1],
                [1, 1, 1, 1, -1, -1, -1, -1, -1, 1],
            ]
        );
        var a = MethodAgreement.Of(ccs, pca, labels);
        Assert.Equal(2, a.Rows);
        Assert.Equal(0.8, a.AccuracyB, 10);
        // both rows 0.8 after orientation
        Assert.Equal(0.8, a.AccuracyA, 10);
        // row 1 differs from PCA on 4 pairs
        Assert.Equal((1.0 + 0.6) / 2, a.Agreement, 10);
        Assert.Equal(0.8 * 0.8 + 0.2 * 0.2, a.Independent, 10);
        Assert.Equal(a.Agreement - a.Independent, a.Excess, 10);
        Assert.Equal(1.0, MethodAgreement.Unsigned(ccs.Scores[0], pca.BestScores), 10);
        Assert.Equal(0.6, MethodAgreement.Unsigned(ccs.Scores[1], pca.BestScores), 10);
    }

    [Fact]
    public void Ccs_restarts_line_up_with_the_top_component_on_planted_data_and_the_landscape_matches_the_probe_loss()
    {
        var pairs = NormalisedPlanted(seed: 5);
        var fit = CcsProbe.Train(pairs, new CcsOptions { Restarts = 4, Epochs = 300 });
        var pca = Pca.Fit(pairs, components: 3);
        var cos = DirectionSimilarity.AbsCosines(fit, pca);
        Assert.All(cos, row => Assert.True(row[0] > 0.95 && row[1] < 0.3, $"|cos| with PCs: {string.Join(", ", row)}"));
        Assert.All(fit.Restarts, r =>
            Assert.InRange(DirectionSimilarity.ShareInSpan(r.Direction!, pca), 0.9, 1.0 + 1e-6)
        );
        Assert.Equal(-1, DirectionSimilarity.Cosine([1, 0, 2], [-2, 0, -4]), 10);
        Assert.Equal(0, DirectionSimilarity.Cosine([1, 0], [0, 3]), 10);

        // Projections are the weights' coordinates on the plane, and almost all of each restart's weight lies in it.
        var points = LossLandscape.Project(fit, pca);
        var w0 = fit.Probes.W1[0];
        Assert.Equal((w0 * pca.Components[0]).sum().item<float>(), points[0].A, 4);
        Assert.All(points, p => Assert.True(p.ShareInPlane > 0.9, $"restart {p.Restart}: {p.ShareInPlane}"));
        Assert.Single(points, p => p.IsBest);

        // A grid point's loss is the loss of that probe computed on its own; the valleys lie on PC1, not PC2.
        var radius = 1.2 * points.Max(p => Math.Max(Math.Abs(p.A), Math.Abs(p.B)));
        var land = LossLandscape.OverPrincipalPlane(pairs, pca, radius, 11);
        var one = CcsProbe.Linear((land.A[8] * pca.Components[0] + land.B[3] * pca.Components[1]).unsqueeze(0));
        Assert.Equal(one.Loss(pairs, ConfidenceTerm.Burns).item<float>(), land.Loss[8][3], 4);
        var min = land.Minimum();
        Assert.True(Math.Abs(min.A) > 2 * Math.Abs(min.B), $"minimum at ({min.A}, {min.B})");
        Assert.True(min.Loss < land.Loss[5][5], "the origin (p ≡ ½) should not be the minimum");

        // With the symmetric confidence term, θ and −θ are the same classifier with the same loss.
        var sym = LossLandscape.OverPrincipalPlane(pairs, pca, radius, 11, ConfidenceTerm.Symmetric);
        for (var i = 0; i < 11; i++)
        for (var j = 0; j < 11; j++)
            Assert.Equal(sym.Loss[i][j], sym.Loss[10 - i][10 - j], 4);
    }

    [Fact]
    public void Summary_row_reads_a_comparison()
    {
        var planted = PlantedData.Generate(
            new PlantedOptions
            {
                Count = 400,
                Dim = 24,
                Seed = 2,
            }
        );
        var (tr, te) = Metrics.TrainTestSplit(planted.Pairs.Count, seed: 0);
        var cmp = MethodComparison.Run(
            planted.Pairs.Select(tr),
            planted.Pairs.Select(te),
            new CcsOptions { Restarts = 3, Epochs = 300 }
        );
        var row = CcsPcaSummary.Of(cmp, "planted", 0);
        Assert.Equal((240, 160), (row.TrainPairs, row.TestPairs));
        Assert.Equal(cmp[MethodNames.Pca].Accuracy(cmp.Test.Labels).Value, row.Pca, 10);
        Assert.True(row.Ccs > 0.95 && row.Pca > 0.95, $"CCS {row.Ccs}, PCA {row.Pca}");
        Assert.True(row.AgreementCcsPca >= row.IndependentCcsPca - 1e-9);
        Assert.InRange(row.MeanAbsCosPc1, 0.95, 1.0 + 1e-6);
        Assert.Equal(row.Pca / row.Ccs, row.PcaShareOfCcs, 10);
    }
}
