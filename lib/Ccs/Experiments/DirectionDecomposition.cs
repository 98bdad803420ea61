using ScienceOfDL.Ccs.Analysis;
using ScienceOfDL.Ccs.Baselines;
using ScienceOfDL.Ccs.Probing;
using static TorchSharp.torch;

namespace ScienceOfDL.Ccs.Experiments;

/// <summary>Emmons' decomposition of Var(θᵀ(x⁺ − x⁻)) along one named direction θ, with the error of the identity,
/// corr(X, Y) and the share of PC1's variance that θ captures.</summary>
public sealed record DirectionRow(
    string Direction,
    double Variance,
    double ConfidenceLike,
    double ConsistencyLike,
    double MeanTerm,
    double Sum,
    double AbsError,
    double CorrXY,
    double ShareOfPc1Variance
);

/// <summary>Notebook 03's check of CCS as PCA: the directions a comparison offers and their variance
/// decompositions.</summary>
public static class DirectionDecomposition
{
    /// <summary><paramref name="v"/> scaled to unit length.</summary>
    public static Tensor Unit(float[] v)
    {
        var t = tensor(v);
        return t / t.norm();
    }

    /// <summary>A random unit direction in <paramref name="dim"/> dimensions, drawn from <paramref name="seed"/>.
    /// </summary>
    public static Tensor RandomUnit(int dim, int seed)
    {
        using var g = Seeds.Generator(seed);
        var t = randn(new long[] { dim }, generator: g);
        return t / t.norm();
    }

    /// <summary>One row per direction, on <paramref name="pairs"/>; shares are of the variance along
    /// <paramref name="pca"/>'s first component.</summary>
    public static DirectionRow[] Decompose(
        HiddenPairs pairs,
        PcaResult pca,
        IEnumerable<(string Name, Tensor Theta)> directions
    )
    {
        var top = VarianceDecomposition.Of(pairs, pca.Components[0]).Variance;
        return directions
            .Select(d =>
            {
                var v = VarianceDecomposition.Of(pairs, d.Theta);
                return new DirectionRow(
                    d.Name,
                    v.Variance,
                    v.ConfidenceLike,
                    v.ConsistencyLike,
                    v.MeanTerm,
                    v.Sum,
                    Math.Abs(v.Variance - v.Sum),
                    v.CorrXY,
                    v.Variance / top
                );
            })
            .ToArray();
    }

    /// <summary>The top two principal components, CCS's best restart, the planted truth (when given), supervised LR
    /// on the differences and a random direction (seed 7).</summary>
    public static (string, Tensor)[] DirectionsOf(Comparison cmp, PcaResult pca, Tensor? truth = null)
    {
        var list = new List<(string, Tensor)>
        {
            ("PC1", pca.Components[0]),
            ("PC2", pca.Components[1]),
            ("CCS (best restart)", Unit(cmp.Ccs.Restarts[cmp.Ccs.Best].Direction!)),
            (
                "LR on differences (supervised)",
                Unit(LogisticRegression.Fit(cmp.Train, PairFeatures.Difference).Direction())
            ),
            ("random", RandomUnit(cmp.Train.Dim, 7)),
        };
        if (truth is not null)
            list.Insert(3, ("planted truth", truth));
        return list.ToArray();
    }
}
