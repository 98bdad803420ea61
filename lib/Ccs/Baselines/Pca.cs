using ScienceOfDL.Ccs.Probing;
using static TorchSharp.torch;

namespace ScienceOfDL.Ccs.Baselines;

/// <summary>Principal components of the contrast-pair differences: Components [k, d] (unit rows), the mean difference,
/// and the variance each component explains (and its share of the total).</summary>
public sealed record PcaResult(Tensor Components, Tensor Mean, double[] Variance, double[] VarianceRatio)
{
    /// <summary>CRC-TPC with component i: project the centred difference on it and threshold at 0 (Burns App.
    /// G.4).</summary>
    public LinearScorer Scorer(int component = 0)
    {
        var v = Components[component].clone();
        using var shift = (v * Mean).sum();
        return LinearScorer.OnDifference(v, -shift.item<float>());
    }

    /// <summary>Coordinates [n, k] of the pairs' differences in the component basis (for scatter plots, loss
    /// landscapes).</summary>
    public Tensor Project(HiddenPairs pairs) => matmul(pairs.Differences() - Mean, Components.t());
}

/// <summary>
/// Contrastive Representation Clustering with the top principal component (CRC-TPC, Burns et al. §3.3 / App. G.4): PCA
/// on x⁺ − x⁻ of the normalised states (centred first, as scikit-learn does); the sign of the top component is the
/// answer. Computed by a thin SVD in float64 on the data's device.
/// </summary>
public static class Pca
{
    public static PcaResult Fit(HiddenPairs train, int components = 3)
    {
        train.Validate();
        using var scope = NewDisposeScope();
        var diff = train.Differences().to(float64);
        var mean = diff.mean(new long[] { 0 });
        var (_, s, vh) = linalg.svd(diff - mean, fullMatrices: false);
        var k = Math.Min(components, (int)vh.shape[0]);
        var variance = (s.square() / Math.Max(1, train.Count - 1)).cpu().data<double>().ToArray();
        var total = variance.Sum();
        var result = new PcaResult(
            vh.narrow(0, 0, k).to(float32).MoveToOuterDisposeScope(),
            mean.to(float32).MoveToOuterDisposeScope(),
            variance.Take(k).ToArray(),
            variance.Take(k).Select(v => v / total).ToArray()
        );
        return result;
    }
}
