using static TorchSharp.torch;

namespace ScienceOfDL.Ccs.Analysis;

/// <summary>Accuracy after sign disambiguation: the better of the two labellings, and whether the scores had to be
/// flipped.</summary>
public sealed record SignedAccuracy(double Value, bool Flipped, double Raw);

/// <summary>The rows of a three-way split: <see cref="Train"/> to fit on, <see cref="Validation"/> to choose with
/// (a setting, a probe's orientation), <see cref="Test"/> untouched until the result is reported.</summary>
public sealed record DataSplit(int[] Train, int[] Validation, int[] Test);

/// <summary>A distribution of a quantity over restarts or seeds.</summary>
public sealed record Distribution(
    int Count,
    double Mean,
    double Std,
    double Min,
    double Q25,
    double Median,
    double Q75,
    double Max
);

/// <summary>
/// Metrics shared by every method. A method's output is a truth score per pair, positive when it says x⁺ is the true
/// half; unsupervised methods cannot know which side is "true", so accuracy and AUROC take the better of the two
/// orientations (Burns et al. §2.2, Farquhar et al. footnote 1).
/// </summary>
public static class Metrics
{
    public static int[] Predict(float[] scores, bool flipped = false) =>
        scores.Select(s => (s > 0) ^ flipped ? 1 : 0).ToArray();

    public static double RawAccuracy(float[] scores, int[] labels)
    {
        Check(scores, labels);
        return scores.Zip(labels).Count(t => (t.First > 0 ? 1 : 0) == t.Second) / (double)labels.Length;
    }

    public static SignedAccuracy Accuracy(float[] scores, int[] labels)
    {
        var raw = RawAccuracy(scores, labels);
        return raw >= 0.5 ? new(raw, false, raw) : new(1 - raw, true, raw);
    }

    public static SignedAccuracy Accuracy(Tensor scores, int[] labels) => Accuracy(ToArray(scores), labels);

    /// <summary>Accuracy with an orientation fixed elsewhere (e.g. on the validation split): the raw accuracy, or one
    /// minus it when <paramref name="flipped"/>. Below 0.5 when the orientation was wrong here.</summary>
    public static double OrientedAccuracy(float[] scores, int[] labels, bool flipped)
    {
        var raw = RawAccuracy(scores, labels);
        return flipped ? 1 - raw : raw;
    }

    /// <summary>Accuracy of each row of scores [R, n] (one per restart or seed).</summary>
    public static SignedAccuracy[] Accuracies(Tensor scores, int[] labels)
    {
        using var cpu = scores.detach().cpu();
        return Enumerable
            .Range(0, (int)cpu.shape[0])
            .Select(r =>
            {
                using var row = cpu[r];
                return Accuracy(row.data<float>().ToArray(), labels);
            })
            .ToArray();
    }

    /// <summary>Area under the ROC curve: the probability that a random positive scores above a random negative (ties
    /// count ½), computed from average ranks (Mann–Whitney U).</summary>
    public static double Auroc(float[] scores, int[] labels)
    {
        Check(scores, labels);
        var order = Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ToArray();
        var ranks = new double[scores.Length];
        for (var i = 0; i < order.Length; )
        {
            var j = i;
            while (j + 1 < order.Length && scores[order[j + 1]] == scores[order[i]])
                j++;
            for (var k = i; k <= j; k++)
                ranks[order[k]] = (i + j) / 2.0 + 1;
            i = j + 1;
        }
        long positives = labels.Count(l => l == 1),
            negatives = labels.Length - positives;
        if (positives == 0 || negatives == 0)
            return double.NaN;
        var rankSum = Enumerable.Range(0, labels.Length).Where(i => labels[i] == 1).Sum(i => ranks[i]);
        return (rankSum - positives * (positives + 1) / 2.0) / (positives * (double)negatives);
    }

    public static double DisambiguatedAuroc(float[] scores, int[] labels)
    {
        var a = Auroc(scores, labels);
        return Math.Max(a, 1 - a);
    }

    public static Distribution Summarize(IEnumerable<double> values)
    {
        var v = values.OrderBy(x => x).ToArray();
        if (v.Length == 0)
            throw new ArgumentException("No values to summarise.");
        double Q(double q)
        {
            var pos = q * (v.Length - 1);
            var lo = (int)Math.Floor(pos);
            var hi = Math.Min(lo + 1, v.Length - 1);
            return v[lo] + (pos - lo) * (v[hi] - v[lo]);
        }
        var mean = v.Average();
        var std = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)) : 0;
        return new(v.Length, mean, std, v[0], Q(0.25), Q(0.5), Q(0.75), v[^1]);
    }

    /// <summary>
    /// A seeded random train/test split of n rows (Burns: 60/40). With <paramref name="groups"/> (e.g. the question
    /// each row came from), whole groups go to one side, so no question appears in both splits under different
    /// templates.
    /// </summary>
    public static (int[] Train, int[] Test) TrainTestSplit(
        int n,
        int seed,
        double trainFraction = 0.6,
        int[]? groups = null
    )
    {
        groups ??= Enumerable.Range(0, n).ToArray();
        if (groups.Length != n)
            throw new ArgumentException($"{groups.Length} group ids for {n} rows.");
        var ids = groups.Distinct().OrderBy(g => g).ToArray();
        new Random(seed).Shuffle(ids);
        var trainGroups = ids.Take((int)Math.Round(trainFraction * ids.Length)).ToHashSet();
        var rows = Enumerable.Range(0, n);
        return (
            rows.Where(i => trainGroups.Contains(groups[i])).ToArray(),
            rows.Where(i => !trainGroups.Contains(groups[i])).ToArray()
        );
    }

    /// <summary>The study split's fractions: 60% of the questions to train on, 20% to choose with, 20% to
    /// test.</summary>
    public const double StudyTrainFraction = 0.6,
        StudyValidationFraction = 0.2;

    /// <summary>What a result computed on <see cref="StudySplit"/> is keyed by besides its seed.</summary>
    public const string StudySplitName = "by question 60/20/20";

    /// <summary>
    /// A seeded three-way split of n rows by group (e.g. the question each row came from): 60% of the groups to train
    /// on, 20% for validation, 20% for test. The groups are shuffled exactly as <see cref="TrainTestSplit"/> shuffles
    /// them, so the training rows are the same as its 60/40 split's, and validation and test halve its test side.
    /// </summary>
    public static DataSplit StudySplit(int n, int seed, int[]? groups = null)
    {
        groups ??= Enumerable.Range(0, n).ToArray();
        if (groups.Length != n)
            throw new ArgumentException($"{groups.Length} group ids for {n} rows.");
        var ids = groups.Distinct().OrderBy(g => g).ToArray();
        new Random(seed).Shuffle(ids);
        var trainCount = (int)Math.Round(StudyTrainFraction * ids.Length);
        var validationCount = (int)Math.Round(StudyValidationFraction * ids.Length);
        var side = new Dictionary<int, int>();
        for (var i = 0; i < ids.Length; i++)
            side[ids[i]] =
                i < trainCount ? 0
                : i < trainCount + validationCount ? 1
                : 2;
        int[] Rows(int s) => Enumerable.Range(0, n).Where(i => side[groups[i]] == s).ToArray();
        return new(Rows(0), Rows(1), Rows(2));
    }

    /// <summary>Fraction of pairs on which two methods' (disambiguated) predictions agree.</summary>
    public static double Agreement(int[] a, int[] b)
    {
        if (a.Length != b.Length)
            throw new ArgumentException("Prediction arrays differ in length.");
        return a.Zip(b).Count(t => t.First == t.Second) / (double)a.Length;
    }

    /// <summary>Agreement expected of two independent methods with accuracies a and b on a binary task: both right or
    /// both wrong, ab + (1−a)(1−b) (the baseline of Farquhar et al. App. D.6).</summary>
    public static double IndependentAgreement(double accuracyA, double accuracyB) =>
        accuracyA * accuracyB + (1 - accuracyA) * (1 - accuracyB);

    public static float[] ToArray(Tensor t)
    {
        using var c = t.detach().cpu().to(float32);
        return c.data<float>().ToArray();
    }

    /// <summary>The rows of a matrix (e.g. one probe's scores per row, or one component per row) as arrays.</summary>
    public static float[][] ToRows(Tensor m)
    {
        using var c = m.detach().cpu().to(float32);
        return Enumerable
            .Range(0, (int)c.shape[0])
            .Select(r =>
            {
                using var row = c[r];
                return row.data<float>().ToArray();
            })
            .ToArray();
    }

    static void Check(float[] scores, int[] labels)
    {
        if (scores.Length != labels.Length)
            throw new ArgumentException($"{scores.Length} scores for {labels.Length} labels.");
    }
}
