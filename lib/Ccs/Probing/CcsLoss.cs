using static TorchSharp.torch;

namespace ScienceOfDL.Ccs.Probing;

/// <summary>Which confidence term the CCS loss uses.</summary>
public enum ConfidenceTerm
{
    /// <summary>Burns et al.: min{p⁺, p⁻}². Rewards only outputs near 0, so a constant probe is best at p =
    /// 0.4.</summary>
    Burns,

    /// <summary>Farquhar et al. App. A.2: min{p⁺, p⁻, 1−p⁺, 1−p⁻}², symmetric about 0.5 (constant-probe minima 0.4 and
    /// 0.6).</summary>
    Symmetric,
}

/// <summary>
/// The CCS loss (Burns et al. §2.2). Inputs are probabilities p(x⁺), p(x⁻) of shape [..., n] (restarts first when
/// batched); every term is a mean over the last axis, so a batch of R probes gives R losses.
/// </summary>
public static class CcsLoss
{
    /// <summary>Consistency: [p(x⁺) − (1 − p(x⁻))]², the two halves' probabilities should sum to one.</summary>
    public static Tensor Consistency(Tensor pPos, Tensor pNeg) => (pPos - (1 - pNeg)).square().mean(new long[] { -1 });

    /// <summary>Confidence: pushes one half towards 0 (and, through consistency, the other towards 1), ruling out p ≡
    /// 0.5.</summary>
    public static Tensor Confidence(Tensor pPos, Tensor pNeg, ConfidenceTerm term = ConfidenceTerm.Burns)
    {
        var low = minimum(pPos, pNeg);
        if (term == ConfidenceTerm.Symmetric)
            low = minimum(low, minimum(1 - pPos, 1 - pNeg));
        return low.square().mean(new long[] { -1 });
    }

    public static Tensor Total(Tensor pPos, Tensor pNeg, ConfidenceTerm term = ConfidenceTerm.Burns) =>
        Consistency(pPos, pNeg) + Confidence(pPos, pNeg, term);

    /// <summary>The lowest loss a constant probe (the same p for every input, ignoring it) can reach: what a trained
    /// probe must beat to have found anything. 0.2 at p = 0.4 for both confidence terms; found by scanning p, so it
    /// follows the loss as written.</summary>
    public static double BestConstant(ConfidenceTerm term = ConfidenceTerm.Burns)
    {
        using var scope = NewDisposeScope();
        var p = linspace(0, 1, 10001, dtype: float64).unsqueeze(1); // [grid, 1]: one "pair" per candidate p
        return Total(p, p, term).min().item<double>();
    }

    /// <summary>The answer CCS gives for a pair: p̃ = ½[p(x⁺) + 1 − p(x⁻)], "x⁺ is true" when p̃ > ½.</summary>
    public static Tensor AverageConfidence(Tensor pPos, Tensor pNeg) => 0.5 * (pPos + 1 - pNeg);
}
