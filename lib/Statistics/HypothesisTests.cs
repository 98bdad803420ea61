using MathNet.Numerics.Distributions;

namespace ScienceOfDL.Statistics;

/// <summary>
/// One-sided exact tests for counts, e.g. "is the fraction of CCS seeds that follow the distractor higher than chance?"
/// (binomial) or "... higher than the fraction of untrained probes that do?" (Fisher). Each returns the p-value: the
/// probability, if there were no difference, of a count at least as large as the one observed.
/// </summary>
public static class HypothesisTests
{
    /// <summary>P(X ≥ successes) for X ~ Binomial(trials, p0): evidence that the true rate exceeds p0.</summary>
    public static double BinomialGreater(int successes, int trials, double p0)
    {
        Check(successes, trials);
        if (p0 is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(p0));
        // Summing the upper tail keeps small p-values exact, where 1 − CDF would cancel to 0.
        var p = 0.0;
        for (var k = successes; k <= trials; k++)
            p += Binomial.PMF(p0, trials, k);
        return Math.Min(1, p);
    }

    /// <summary>Fisher's exact test, one-sided: evidence that group A's rate (successesA of trialsA) exceeds group B's.
    /// Conditional on the total number of successes, A's count is hypergeometric; the p-value is its upper
    /// tail.</summary>
    public static double FisherGreater(int successesA, int trialsA, int successesB, int trialsB)
    {
        Check(successesA, trialsA);
        Check(successesB, trialsB);
        var total = trialsA + trialsB;
        var successes = successesA + successesB;
        var p = 0.0;
        for (var k = successesA; k <= Math.Min(trialsA, successes); k++)
            p += Hypergeometric.PMF(total, successes, trialsA, k);
        return Math.Min(1, p);
    }

    static void Check(int successes, int trials)
    {
        if (trials < 0 || successes < 0 || successes > trials)
            throw new ArgumentOutOfRangeException(nameof(successes), $"{successes} successes in {trials} trials");
    }
}
