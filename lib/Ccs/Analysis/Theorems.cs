using ScienceOfDL.Ccs.Probing;
using static TorchSharp.torch;

namespace ScienceOfDL.Ccs.Analysis;

/// <summary>What some probe outputs on both halves of every pair: p(x⁺ᵢ) and p(x⁻ᵢ). Farquhar et al.'s theorems are
/// about these outputs, not about weights, so they are kept as plain numbers.</summary>
public sealed record HalfProbabilities(double[] Pos, double[] Neg)
{
    public int Count => Pos.Length;

    /// <summary>The CCS loss of these outputs (mean over pairs of consistency + confidence).</summary>
    public double Loss(ConfidenceTerm term)
    {
        using var scope = NewDisposeScope();
        return CcsLoss.Total(tensor(Pos, float64), tensor(Neg, float64), term).item<double>();
    }

    /// <summary>p̃ − ½ per pair: positive when the probe says x⁺ is the true half.</summary>
    public float[] Scores() => Pos.Zip(Neg, (p, n) => (float)(0.5 * (p + 1 - n) - 0.5)).ToArray();

    /// <summary>The labelling the probe induces, before any sign disambiguation: 1 when p̃ &gt; ½.</summary>
    public int[] Induced() => Metrics.Predict(Scores());

    /// <summary>The outputs of restart <paramref name="restart"/> of a batch of CCS probes on these pairs.</summary>
    public static HalfProbabilities Of(CcsProbe probe, int restart, HiddenPairs pairs)
    {
        using var scope = NewDisposeScope();
        double[] Row(Tensor x) => probe.Probabilities(x)[restart].to(float64).cpu().data<double>().ToArray();
        return new(Row(pairs.Pos), Row(pairs.Neg));
    }
}

/// <summary>
/// Farquhar et al. 2023 §3 (App. A), computed rather than proved. c(x) is the claim a half makes: 1 for x⁺ (answered
/// with the first label), 0 for x⁻. Soft XOR: a ⊕ b = (1−a)b + (1−b)a, exact on bits.
/// </summary>
public static class Theorems
{
    public static double Xor(double a, double b) => (1 - a) * b + (1 - b) * a;

    /// <summary>Theorem 1: for any binary feature h of the question, the probe p(x±) = h ⊕ c(x±), i.e. p(x⁺) = 1 − h
    /// and p(x⁻) = h. Its consistency and confidence terms are both 0 whatever h is, and it induces p̃ = 1 − h: the
    /// labelling h up to the sign that every unsupervised method leaves open. <paramref name="confidence"/> softens the
    /// bits (h stated as 0.9/0.1 instead of 1/0) to show the loss then grows the same way for every h.</summary>
    public static HalfProbabilities FeatureXorClaim(int[] h, double confidence = 1.0)
    {
        if (confidence is < 0.5 or > 1)
            throw new ArgumentOutOfRangeException(nameof(confidence), "between 0.5 and 1");
        var soft = h.Select(b => b == 1 ? confidence : 1 - confidence).ToArray();
        return new(soft.Select(s => Xor(s, 1)).ToArray(), soft.Select(s => Xor(s, 0)).ToArray());
    }

    /// <summary>Theorem 2: from any probe p with induced labelling f_p, the probe p' = p ⊕ (f_p ⊕ g) (both halves of
    /// question i flipped, p → 1 − p, exactly where f_p and the target g disagree) has the same symmetric CCS loss and
    /// induces g. The original (Burns) confidence term is not symmetric under p → 1 − p, so its loss may change. A pair
    /// with p̃ exactly ½ has no labelling to flip; it stays ½ (and is counted as 0).</summary>
    public static HalfProbabilities Relabel(HalfProbabilities p, int[] target)
    {
        if (target.Length != p.Count)
            throw new ArgumentException($"{target.Length} target labels for {p.Count} pairs.");
        var induced = p.Induced();
        double Flip(int i, double v) => Xor(v, induced[i] ^ target[i]);
        return new(p.Pos.Select((v, i) => Flip(i, v)).ToArray(), p.Neg.Select((v, i) => Flip(i, v)).ToArray());
    }

    /// <summary>The lowest CCS loss a linear direction can reach when only its scale is free: σ(α·(w·x + b)) for every
    /// α in
    /// <paramref name="scales"/> (default 0.01 to 100, log-spaced), all scored in one batch. Lets a direction found by
    /// a supervised probe (for truth ⊕ claim, or banana ⊕ claim) be compared on CCS's own terms, without its
    /// calibration.</summary>
    public static (double Loss, double Scale) BestScaledLoss(
        HiddenPairs pairs,
        float[] w,
        double b,
        ConfidenceTerm term,
        double[]? scales = null
    )
    {
        scales ??= Enumerable.Range(0, 81).Select(i => Math.Pow(10, -2 + i / 20.0)).ToArray();
        using var scope = NewDisposeScope();
        var alpha = tensor(scales.Select(s => (float)s).ToArray(), device: pairs.Device);
        var weights = alpha.unsqueeze(1) * tensor(w, device: pairs.Device).unsqueeze(0);
        var probe = CcsProbe.Linear(weights, alpha * (float)b);
        var losses = probe.Loss(pairs, term).cpu().data<float>().ToArray();
        var best = Enumerable.Range(0, losses.Length).MinBy(i => losses[i]);
        return (losses[best], scales[best]);
    }
}
