using static TorchSharp.torch;
using ScienceOfDL.Ccs.Baselines;
using ScienceOfDL.Ccs.Probing;

namespace ScienceOfDL.Ccs.Analysis;

/// <summary>
/// Supervised linear probes on single halves rather than pairs: every x⁺ᵢ and x⁻ᵢ is one row, with a target bit that
/// may depend on the question i and on the half (1 = x⁺). Used to measure the banana/shed "mystery" (LessWrong
/// discussion of Farquhar et al.): after per-half normalisation, can a linear probe still tell x⁺ from x⁻ (the claim
/// c)? Can it read banana ⊕ c, the feature a banana-following CCS probe needs?
/// </summary>
public static class HalfProbe
{
    /// <summary>Target: which half a state came from (the claim c: 1 for x⁺).</summary>
    public static Func<int, int, int> Claim => (_, half) => half;

    /// <summary>Target: a question-level bit, the same on both halves (label, banana...).</summary>
    public static Func<int, int, int> Question(int[] bits) => (i, _) => bits[i];

    /// <summary>Target: bitᵢ ⊕ c. With the label as the bit this is "this half is false" (truth ⊕ claim, the intended
    /// CCS feature); with banana it is the feature a banana-following probe reads.</summary>
    public static Func<int, int, int> XorClaim(int[] bits) => (i, half) => bits[i] ^ half;

    /// <summary>Logistic regression (scikit-learn's default objective, C = 1) on the 2n halves of <paramref
    /// name="train"/>.</summary>
    public static LinearScorer Fit(HiddenPairs train, Func<int, int, int> target)
    {
        var halves = Halves(train, target);
        // LogisticRegression fits pairs; with x⁻ = 0 its "difference" features are the halves themselves.
        using var zero = zeros_like(halves.Pos);
        return LogisticRegression.Fit(halves with { Neg = zero }, PairFeatures.Difference);
    }

    /// <summary>Held-out accuracy of a fitted half probe (no sign disambiguation: it was trained with
    /// labels).</summary>
    public static double Accuracy(LinearScorer probe, HiddenPairs test, Func<int, int, int> target)
    {
        var halves = Halves(test, target);
        using var zero = zeros_like(halves.Pos);
        return Metrics.RawAccuracy(probe.Scores(halves with { Neg = zero }), halves.Labels);
    }

    /// <summary>Fit on <paramref name="train"/>, score on <paramref name="test"/>.</summary>
    public static double HeldOutAccuracy(HiddenPairs train, HiddenPairs test, Func<int, int, int> trainTarget,
        Func<int, int, int> testTarget) =>
        Accuracy(Fit(train, trainTarget), test, testTarget);

    /// <summary>The 2n halves as rows of a <see cref="HiddenPairs"/> (x⁺ rows first), labelled with the
    /// target.</summary>
    static HiddenPairs Halves(HiddenPairs pairs, Func<int, int, int> target)
    {
        pairs.Validate();
        var n = pairs.Count;
        var labels = Enumerable.Range(0, 2 * n).Select(r => target(r % n, r < n ? 1 : 0)).ToArray();
        var all = cat(new[] { pairs.Pos, pairs.Neg });
        return new HiddenPairs(all, all, labels, new int[2 * n]);
    }
}
