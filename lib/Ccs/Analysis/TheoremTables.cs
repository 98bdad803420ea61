using ScienceOfDL.Ccs.Probing;

namespace ScienceOfDL.Ccs.Analysis;

/// <summary>Theorem 1 for one feature h: the CCS loss of the probe h ⊕ claim (exact and softened to 0.9) and its
/// accuracy on h.</summary>
public sealed record FeatureLoss(string h, double LossOfXorClaim, double SoftenedTo09, double AccuracyOnH);

/// <summary>One probe's symmetric CCS loss on the training and the test pairs.</summary>
public sealed record ProbeLoss(string Probe, double SymmetricCcsLossTrain, double Test);

/// <summary>Theorem 2 for one probe: its symmetric and original CCS loss and its raw accuracy on truth, on the
/// distractor and on a random coin.</summary>
public sealed record RelabelledProbe(
    string Probe,
    double SymmetricLoss,
    double OriginalLoss,
    double Truth,
    double Distractor,
    double RandomCoin
);

/// <summary>Farquhar et al.'s theorems computed on real pairs (notebook 02), one record per row.</summary>
public static class TheoremTables
{
    /// <summary>Theorem 1 for each named feature.</summary>
    public static List<FeatureLoss> FeatureLosses(IEnumerable<(string Name, int[] Bits)> features) =>
        features
            .Select(f => new FeatureLoss(
                f.Name,
                Theorems.FeatureXorClaim(f.Bits).Loss(ConfidenceTerm.Symmetric),
                Theorems.FeatureXorClaim(f.Bits, 0.9).Loss(ConfidenceTerm.Symmetric),
                Metrics.Accuracy(Theorems.FeatureXorClaim(f.Bits).Scores(), f.Bits).Value
            ))
            .ToList();

    /// <summary>The loss CCS would reach along truth ⊕ claim and along the distractor ⊕ claim (supervised half
    /// probes on the training halves, best scale) beside the trained CCS seeds (lowest-loss and median) and an
    /// uninformative constant probe.</summary>
    public static List<ProbeLoss> Losses(HiddenPairs train, HiddenPairs test, CcsFit fit, int[] bitTrain, string bit)
    {
        ProbeLoss Linear(string name, Func<int, int, int> target)
        {
            var w = HalfProbe.Fit(train, target).Direction();
            return new(
                name,
                Theorems.BestScaledLoss(train, w, 0, ConfidenceTerm.Symmetric).Loss,
                Theorems.BestScaledLoss(test, w, 0, ConfidenceTerm.Symmetric).Loss
            );
        }
        var testLosses = fit.Report(test);
        var constant = new HalfProbabilities(
            Enumerable.Repeat(0.4, test.Count).ToArray(),
            Enumerable.Repeat(0.6, test.Count).ToArray()
        ).Loss(ConfidenceTerm.Symmetric);
        return
        [
            Linear("truth ⊕ claim direction (supervised half probe, best scale)", HalfProbe.XorClaim(train.Labels)),
            Linear($"{bit} ⊕ claim direction (supervised half probe, best scale)", HalfProbe.XorClaim(bitTrain)),
            new("CCS, lowest-training-loss seed", fit.Restarts[fit.Best].Loss, testLosses.Single(r => r.IsBest).Loss),
            new(
                $"CCS, median over {fit.Restarts.Length} seeds",
                Metrics.Summarize(fit.Restarts.Select(r => r.Loss)).Median,
                Metrics.Summarize(testLosses.Select(r => r.Loss)).Median
            ),
            new("constant p(x⁺) = 0.4, p(x⁻) = 0.6 (uninformative)", constant, constant),
        ];
    }

    /// <summary>Theorem 2: each named probe output, read against truth, the distractor and a random coin.</summary>
    public static List<RelabelledProbe> Relabelled(
        IEnumerable<(string Name, HalfProbabilities P)> probes,
        int[] truth,
        int[] distractor,
        int[] coin
    ) =>
        probes
            .Select(t => new RelabelledProbe(
                t.Name,
                t.P.Loss(ConfidenceTerm.Symmetric),
                t.P.Loss(ConfidenceTerm.Burns),
                Metrics.RawAccuracy(t.P.Scores(), truth),
                Metrics.RawAccuracy(t.P.Scores(), distractor),
                Metrics.RawAccuracy(t.P.Scores(), coin)
            ))
            .ToList();
}
