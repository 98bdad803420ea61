using ScienceOfDL.Ccs.Analysis;
using ScienceOfDL.Ccs.Probing;
using static TorchSharp.torch;

namespace ScienceOfDL.Ccs.Baselines;

/// <summary>
/// A linear truth score for a pair, s = w⁺·x⁺ + w⁻·x⁻ + b (positive: x⁺ is the true half). Every baseline reduces to
/// one: methods on differences use w⁻ = −w⁺, logistic regression on the concatenated pair learns both halves, k-means'
/// nearest centroid is a linear rule too. So one <see cref="Scores"/> serves them all and the metrics apply uniformly.
/// </summary>
public sealed record LinearScorer(Tensor WPos, Tensor WNeg, double Bias)
{
    /// <summary>A scorer that projects the difference x⁺ − x⁻ on <paramref name="direction"/>.</summary>
    public static LinearScorer OnDifference(Tensor direction, double bias = 0) => new(direction, -direction, bias);

    /// <summary>Scores [n] on the device of the pairs.</summary>
    public Tensor ScoreTensor(HiddenPairs pairs) => matmul(pairs.Pos, WPos) + matmul(pairs.Neg, WNeg) + Bias;

    public float[] Scores(HiddenPairs pairs)
    {
        using var scope = NewDisposeScope();
        return Metrics.ToArray(ScoreTensor(pairs));
    }

    /// <summary>For difference scorers: the unit direction w⁺/‖w⁺‖ (to compare with CCS directions or principal
    /// components).</summary>
    public float[] Direction()
    {
        using var scope = NewDisposeScope();
        return Metrics.ToArray(WPos / WPos.norm().clamp_min(1e-30));
    }
}
