using ScienceOfDL.Ccs.Baselines;
using ScienceOfDL.Ccs.Probing;
using ScienceOfDL.Statistics;
using static TorchSharp.torch;

namespace ScienceOfDL.Ccs.Analysis;

/// <summary>What a probe reads (<see cref="Target"/>): held-out accuracy on raw and normalised states.</summary>
public sealed record HalfReading(string Target, double Raw, double Normalised);

/// <summary>A <see cref="HalfReading"/> with 95% intervals.</summary>
public sealed record HalfReadingInterval(string Target, Interval Raw, Interval Normalised);

/// <summary>
/// Supervised linear probes on single halves rather than pairs: every x⁺ᵢ and x⁻ᵢ is one row, with a target bit that
/// may depend on the question i and on the half (1 = x⁺). Used to measure the banana/shed "mystery" (LessWrong
/// discussion of Farquhar et al.): after per-half normalisation, can a linear probe still tell x⁺ from x⁻ (the claim
/// c)? Can it read banana ⊕ c, the feature a banana-following CCS probe needs?
/// </summary>
public static class HalfProbe
{
    /// <summary>What a supervised linear probe reads from each half of the pairs, on the raw states and after
    /// normalisation (held-out accuracy): which half, the distractor bit and truth, each XOR the claim and alone, then
    /// the distractor and truth from the pair difference x⁺ − x⁻ (what CCS, PCA and k-means effectively use: one
    /// direction read as +w on x⁺ and −w on x⁻ reads bit ⊕ claim on both halves at once).</summary>
    public static List<HalfReading> Readings(
        HiddenPairs rawTrain,
        HiddenPairs rawTest,
        HiddenPairs normTrain,
        HiddenPairs normTest,
        int[] bitTrain,
        int[] bitTest,
        string bit
    )
    {
        var targets = new (string Name, Func<int, int, int> Train, Func<int, int, int> Test)[]
        {
            ("which half (claim)", Claim, Claim),
            ($"{bit} ⊕ claim", XorClaim(bitTrain), XorClaim(bitTest)),
            ("truth ⊕ claim (is this half false)", XorClaim(normTrain.Labels), XorClaim(normTest.Labels)),
            ($"{bit} (same in both halves)", Question(bitTrain), Question(bitTest)),
            ("truth (same in both halves)", Question(normTrain.Labels), Question(normTest.Labels)),
        };
        var rows = targets
            .Select(t => new HalfReading(
                "half: " + t.Name,
                HeldOutAccuracy(rawTrain, rawTest, t.Train, t.Test),
                HeldOutAccuracy(normTrain, normTest, t.Train, t.Test)
            ))
            .ToList();
        static double FromDifference(HiddenPairs train, HiddenPairs test, int[] yTrain, int[] yTest) =>
            Metrics.RawAccuracy(
                LogisticRegression.Fit(train with { Labels = yTrain }, PairFeatures.Difference).Scores(test),
                yTest
            );
        rows.Add(
            new(
                $"pair difference: {bit}",
                FromDifference(rawTrain, rawTest, bitTrain, bitTest),
                FromDifference(normTrain, normTest, bitTrain, bitTest)
            )
        );
        rows.Add(
            new(
                "pair difference: truth",
                FromDifference(rawTrain, rawTest, rawTrain.Labels, rawTest.Labels),
                FromDifference(normTrain, normTest, normTrain.Labels, normTest.Labels)
            )
        );
        return rows;
    }

    /// <summary><see cref="Readings"/> with a 95% Wilson interval over both halves of <paramref name="testPairs"/>
    /// pairs.</summary>
    public static List<HalfReadingInterval> Intervals(IEnumerable<HalfReading> rows, int testPairs) =>
        rows.Select(r => new HalfReadingInterval(
                r.Target,
                Proportion.Wilson(r.Raw, 2 * testPairs),
                Proportion.Wilson(r.Normalised, 2 * testPairs)
            ))
            .ToList();

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
    public static double HeldOutAccuracy(
        HiddenPairs train,
        HiddenPairs test,
        Func<int, int, int> trainTarget,
        Func<int, int, int> testTarget
    ) => Accuracy(Fit(train, trainTarget), test, testTarget);

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
