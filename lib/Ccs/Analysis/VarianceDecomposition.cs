using ScienceOfDL.Ccs.Probing;
using static TorchSharp.torch;

namespace ScienceOfDL.Ccs.Analysis;

/// <summary>
/// The pieces of Var(θᵀ(x⁺ − x⁻)) with X = θᵀx⁺, Y = θᵀx⁻ (population moments over pairs):
/// Var(X − Y) = E[X²] + E[Y²] − 2E[XY] − (E[X] − E[Y])².
/// E[X²] + E[Y²] rewards large projections (confidence-like), −2E[XY] rewards X and Y of opposite sign
/// (consistency-like): Emmons' reading of why PCA on the differences behaves like CCS (AXRP 0:53:29).
/// </summary>
public sealed record ProjectedDifferenceVariance(
    double Variance,
    double EX2,
    double EY2,
    double EXY,
    double EX,
    double EY
)
{
    public double ConfidenceLike => EX2 + EY2;
    public double ConsistencyLike => -2 * EXY;
    public double MeanTerm => -(EX - EY) * (EX - EY);

    /// <summary>The right-hand side; equals <see cref="Variance"/> up to rounding.</summary>
    public double Sum => ConfidenceLike + ConsistencyLike + MeanTerm;

    /// <summary>Pearson correlation of X and Y over the pairs: −1 when the two halves project to opposite values (the
    /// consistent, contrastive case), near 0 when they are unrelated, +1 when both move the same way.</summary>
    public double CorrXY => (EXY - EX * EY) / Math.Sqrt((EX2 - EX * EX) * (EY2 - EY * EY));
}

public static class VarianceDecomposition
{
    /// <summary>The decomposition along direction θ [d] (not necessarily unit; pass a unit vector to match the
    /// notebook's algebra).</summary>
    public static ProjectedDifferenceVariance Of(HiddenPairs pairs, Tensor theta)
    {
        using var scope = NewDisposeScope();
        var t = theta.to(float64);
        var x = matmul(pairs.Pos.to(float64), t);
        var y = matmul(pairs.Neg.to(float64), t);
        double M(Tensor v) => v.mean().item<double>();
        return new(M((x - y - M(x - y)).square()), M(x.square()), M(y.square()), M(x * y), M(x), M(y));
    }
}
