using ScienceOfDL.Ccs.Experiments;

namespace ScienceOfDL.Ccs.Analysis;

/// <summary>
/// How often two methods give the same answer, beside how often they would if they erred independently with the same
/// accuracies (Farquhar et al. App. D.6). Both methods' predictions are oriented to the truth first (each takes its
/// better sign), as in the paper. Agreement well above <see cref="Independent"/> means the methods read the same
/// feature of the data. Methods with several rows (CCS restarts, seeds) are averaged over rows, as the paper averages
/// over CCS seeds.
/// </summary>
public sealed record MethodAgreement(
    string MethodA,
    string MethodB,
    double AccuracyA,
    double AccuracyB,
    double Agreement,
    double Independent,
    int Rows
)
{
    public double Excess => Agreement - Independent;

    /// <summary>Agreement of every row of <paramref name="a"/> with the chosen row of <paramref name="b"/>, averaged
    /// over a's rows.</summary>
    public static MethodAgreement Of(MethodScores a, MethodScores b, int[] labels)
    {
        var predB = b.Predictions(labels);
        var accB = b.Accuracy(labels).Value;
        var rows = a
            .Scores.Select(s =>
            {
                var acc = Metrics.Accuracy(s, labels);
                var pred = Metrics.Predict(s, acc.Flipped);
                return (
                    Acc: acc.Value,
                    Agree: Metrics.Agreement(pred, predB),
                    Ind: Metrics.IndependentAgreement(acc.Value, accB)
                );
            })
            .ToArray();
        return new(
            a.Method,
            b.Method,
            rows.Average(r => r.Acc),
            accB,
            rows.Average(r => r.Agree),
            rows.Average(r => r.Ind),
            rows.Length
        );
    }

    /// <summary>Two methods of one comparison on its test pairs (e.g. CCS, all restarts, against PCA).</summary>
    public static MethodAgreement Of(Comparison cmp, string methodA, string methodB) =>
        Of(cmp[methodA], cmp[methodB], cmp.Test.Labels);

    /// <summary>Agreement of two methods' answers without using labels: the fraction of pairs on which their sign-free
    /// answers coincide, taking whichever relative sign agrees more (1: the same partition of the pairs, whatever it
    /// means).</summary>
    public static double Unsigned(float[] a, float[] b)
    {
        var agree = Metrics.Agreement(Metrics.Predict(a), Metrics.Predict(b));
        return Math.Max(agree, 1 - agree);
    }
}
