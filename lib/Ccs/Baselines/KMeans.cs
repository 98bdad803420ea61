using ScienceOfDL.Ccs.Probing;
using static TorchSharp.torch;

namespace ScienceOfDL.Ccs.Baselines;

/// <summary>Two centroids [2, d] of the differences and the within-cluster sum of squares of the best start.</summary>
public sealed record KMeansResult(Tensor Centroids, double Inertia)
{
    /// <summary>Nearest centroid as a linear rule: ‖c−μ₀‖² − ‖c−μ₁‖² = 2cᵀ(μ₁−μ₀) + ‖μ₀‖² − ‖μ₁‖², positive for cluster
    /// 1. Which cluster is "true" is unknown, so, as for every unsupervised method, sign disambiguation
    /// decides.</summary>
    public LinearScorer Scorer()
    {
        using var m0 = Centroids[0];
        using var m1 = Centroids[1];
        using var bias = m0.square().sum() - m1.square().sum();
        return LinearScorer.OnDifference(2 * (m1 - m0), bias.item<float>());
    }
}

/// <summary>
/// k-means with 2 clusters on the contrast-pair differences x⁺ − x⁻ (Farquhar et al.'s k-means baseline, which used
/// scikit-learn's random init): Lloyd's iterations from <paramref name="starts"/> seeded random pairs of data points,
/// keeping the start with the lowest inertia.
/// </summary>
public static class KMeans
{
    public static KMeansResult Fit(HiddenPairs train, int seed = 0, int starts = 10, int maxIterations = 300)
    {
        train.Validate();
        using var scope = NewDisposeScope();
        var c = train.Differences();
        var random = new Random(seed);
        Tensor? best = null;
        var bestInertia = double.PositiveInfinity;
        for (var s = 0; s < starts; s++)
        {
            var first = random.Next(train.Count);
            var second = (first + 1 + random.Next(train.Count - 1)) % train.Count;
            var centroids = c.index_select(0, tensor(new long[] { first, second }, device: train.Device));
            Tensor assign = zeros(train.Count, int64, train.Device);
            for (var it = 0; it < maxIterations; it++)
            {
                var next = cdist(c, centroids).argmin(1);
                var changed = it == 0 || (next != assign).any().item<bool>();
                assign = next;
                var one = (assign == 1).to(c.dtype).unsqueeze(1);
                var zero = 1 - one;
                // An emptied cluster keeps its old centroid.
                var m0 = zero.sum().item<float>() > 0 ? (c * zero).sum(new long[] { 0 }) / zero.sum() : centroids[0];
                var m1 = one.sum().item<float>() > 0 ? (c * one).sum(new long[] { 0 }) / one.sum() : centroids[1];
                centroids = stack(new[] { m0, m1 });
                if (!changed)
                    break;
            }
            var inertia = cdist(c, centroids).min(1).values.square().sum().item<float>();
            if (inertia < bestInertia)
            {
                bestInertia = inertia;
                best = centroids;
            }
        }
        return new KMeansResult(best!.MoveToOuterDisposeScope(), bestInertia);
    }
}
