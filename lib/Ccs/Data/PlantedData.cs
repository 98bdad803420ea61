using ScienceOfDL.Ccs.Probing;
using static TorchSharp.torch;

namespace ScienceOfDL.Ccs.Data;

/// <summary>
/// Settings of the synthetic hidden states. Strengths are in units of the per-dimension noise std. Defaults make a task
/// where CCS finds the planted truth direction (≥ 99% accuracy); set <see cref="Distractor"/> above <see cref="Truth"/>
/// to get a banana/shed-like feature that PCA, and some CCS seeds, prefer (Farquhar et al. §4.1).
/// </summary>
public sealed record PlantedOptions
{
    public int Count { get; init; } = 1000;
    public int Dim { get; init; } = 64;

    /// <summary>Each half moves ±Truth along the truth direction: + when that half's claim is true.</summary>
    public double Truth { get; init; } = 3.0;

    /// <summary>Independent noise in every dimension of every half.</summary>
    public double Noise { get; init; } = 1.0;

    /// <summary>Per-question content, identical in both halves (what the review is about): large variance in the raw
    /// states, gone from the differences.</summary>
    public int NuisanceDims { get; init; } = 8;
    public double Nuisance { get; init; } = 5.0;

    /// <summary>The "ends with Yes vs No" offset, +Claim on x⁺ and −Claim on x⁻ along a per-template direction: the
    /// feature that per-half normalisation removes.</summary>
    public double Claim { get; init; } = 5.0;

    /// <summary>Strength of distractor ⊕ claim (a random binary feature h of the question, "banana" vs "shed",
    /// entangled with the claim): x⁺ moves ±Distractor by h, x⁻ the opposite way. 0: no distractor.</summary>
    public double Distractor { get; init; } = 0.0;

    /// <summary>The distractor word itself, the same in both halves (cancels in differences, like the
    /// nuisance).</summary>
    public double DistractorShared { get; init; } = 0.0;

    /// <summary>Rows cycle through this many templates; each template adds its own offset (size Claim) to both halves
    /// and has its own claim direction, which per-template normalisation removes.</summary>
    public int Templates { get; init; } = 1;
    public int Seed { get; init; } = 0;
}

/// <summary>Planted hidden states and the ground truth behind them: unit truth and distractor directions [d] and the
/// distractor bit of every row.</summary>
public sealed record PlantedPairs(
    HiddenPairs Pairs,
    Tensor TruthDirection,
    Tensor DistractorDirection,
    int[] Distractor
);

/// <summary>
/// Synthetic contrast-pair hidden states with a planted truth direction, following the picture of Burns et al. §2.2 and
/// Farquhar et al. §3: a half's state = question content (shared by both halves) + claim offset (which half it is)
/// + ±truth (is this half's claim true?) + optionally ±distractor⊕claim + noise. All directions are orthonormal.
/// </summary>
public static class PlantedData
{
    public static PlantedPairs Generate(PlantedOptions o, Device? device = null)
    {
        var needed = 2 + 2 * o.Templates + o.NuisanceDims + 1;
        if (o.Dim < needed)
            throw new ArgumentException($"Dim {o.Dim} is too small: the planted directions need {needed}.");
        if (o.Count < 2 || o.Count % 2 != 0)
            throw new ArgumentException("Count must be even (balanced labels).");
        using var scope = NewDisposeScope();
        using var g = Seeds.Generator(o.Seed);
        int n = o.Count,
            d = o.Dim,
            T = o.Templates;
        var (q, _) = linalg.qr(randn(new long[] { d, needed }, generator: g));
        var basis = q.t(); // orthonormal rows
        var truthDir = basis[0];
        var distractorDir = basis[1];
        var claimDirs = basis.narrow(0, 2, T);
        var templateDirs = basis.narrow(0, 2 + T, T);
        var wordDir = basis[2 + 2 * T];
        var nuisanceDirs = basis.narrow(0, 3 + 2 * T, o.NuisanceDims);

        var labels = BalancedBits(n, g);
        var distractor = BalancedBits(n, g);
        var templates = Enumerable.Range(0, n).Select(i => i % T).ToArray();
        var y = Signs(labels); // +1 when x⁺ is true
        var h = Signs(distractor);
        var templateIndex = tensor(templates.Select(t => (long)t).ToArray());

        var shared =
            matmul(randn(new long[] { n, o.NuisanceDims }, generator: g) * o.Nuisance, nuisanceDirs)
            + o.Claim * templateDirs.index_select(0, templateIndex)
            + o.DistractorShared * h.unsqueeze(1) * wordDir;
        var claim = o.Claim * claimDirs.index_select(0, templateIndex);
        var truth = o.Truth * y.unsqueeze(1) * truthDir;
        var entangled = o.Distractor * h.unsqueeze(1) * distractorDir;
        var pos = shared + claim + truth + entangled + o.Noise * randn(new long[] { n, d }, generator: g);
        var neg = shared - claim - truth - entangled + o.Noise * randn(new long[] { n, d }, generator: g);

        var dev = device ?? CPU;
        var pairs = new HiddenPairs(
            pos.to(dev).MoveToOuterDisposeScope(),
            neg.to(dev).MoveToOuterDisposeScope(),
            labels,
            templates
        );
        return new PlantedPairs(
            pairs,
            truthDir.to(dev).MoveToOuterDisposeScope(),
            distractorDir.to(dev).MoveToOuterDisposeScope(),
            distractor
        );
    }

    static int[] BalancedBits(int n, Generator g)
    {
        var order = randperm(n, generator: g).data<long>().ToArray();
        var bits = new int[n];
        for (var i = 0; i < n / 2; i++)
            bits[order[i]] = 1;
        return bits;
    }

    static Tensor Signs(int[] bits) => tensor(bits.Select(b => b == 1 ? 1f : -1f).ToArray());
}
