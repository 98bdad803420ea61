using ScienceOfDL.Ccs.Experiments;
using ScienceOfDL.Ccs.Probing;
using static TorchSharp.torch;

namespace ScienceOfDL.Tests;

/// <summary>The records notebook 01 shows as tables: the CCS loss of a pair term by term, and each method read against
/// the truth and against a feature of the question.</summary>
public class CcsNotebookTablesTests
{
    [Fact]
    public void Loss_terms_per_pair_match_the_hand_computed_values()
    {
        var rows = CcsLossTerms.PerPair(tensor(new[] { 0.9f, 0.9f, 0.5f }), tensor(new[] { 0.1f, 0.9f, 0.5f }));
        Assert.Equal(3, rows.Count);
        // consistency [p⁺ − (1 − p⁻)]²: 0, 0.8², 0; confidence min{p⁺, p⁻}²: 0.1², 0.9², 0.5²
        double[][] expected =
        [
            [0.9, 0.1, 0, 0.01, 0.01],
            [0.9, 0.9, 0.64, 0.81, 1.45],
            [0.5, 0.5, 0, 0.25, 0.25],
        ];
        for (var i = 0; i < 3; i++)
        {
            var r = rows[i];
            double[] got = [r.PPos, r.PNeg, r.Consistency, r.Confidence, r.Loss];
            for (var j = 0; j < 5; j++)
                Assert.Equal(expected[i][j], got[j], 5);
        }
    }

    [Fact]
    public void A_method_that_follows_the_feature_scores_one_on_it_and_chance_on_the_truth()
    {
        int[] truth = [1, 0, 1, 0, 1, 0, 1, 0];
        int[] feature = [1, 1, 0, 0, 1, 1, 0, 0];
        var follower = new MethodScores(
            "feature",
            [
                [0.9f, 0.8f, -0.7f, -0.9f, 0.6f, 0.7f, -0.8f, -0.6f],
            ]
        );
        var reader = new MethodScores(
            "truth",
            [
                [-1f, 1f, -1f, 1f, -1f, 1f, -1f, 1f],
            ]
        ); // upside down: oriented
        var rows = TruthOrFeature.Of([follower, reader], truth, feature);
        Assert.Equal(["feature", "truth"], rows.Select(r => r.Method));
        Assert.Equal(1.0, rows[0].Feature.Value);
        Assert.Equal(0.5, rows[0].Truth.Value);
        Assert.Equal(1.0, rows[1].Truth.Value);
        Assert.Equal(0.5, rows[1].Feature.Value);
        Assert.True(rows[0].Feature.Lower < 1.0); // a Wilson interval, not a point
        Assert.Throws<ArgumentException>(() => TruthOrFeature.Of([follower], truth, feature[..4]));
    }
}
