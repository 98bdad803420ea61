using MathNet.Numerics.Distributions;

namespace ScienceOfDL.Statistics;

/// <summary>Intervals for a proportion, such as an accuracy on n test pairs or the fraction of seeds that do
/// something.</summary>
public static class Proportion
{
    /// <summary>The Wilson score interval (Wilson 1927; Newcombe 1998's recommended method): unlike the normal
    /// approximation it stays inside [0, 1] and keeps its coverage near 0 and 1 and for small n.</summary>
    public static Interval Wilson(int successes, int trials, double confidence = 0.95)
    {
        if (trials <= 0)
            throw new ArgumentOutOfRangeException(nameof(trials), $"need a trial, got {trials}");
        if (successes < 0 || successes > trials)
            throw new ArgumentOutOfRangeException(nameof(successes), $"{successes} successes in {trials} trials");
        var z = Normal.InvCDF(0, 1, 1 - (1 - confidence) / 2);
        var p = successes / (double)trials;
        var z2n = z * z / trials;
        var centre = (p + z2n / 2) / (1 + z2n);
        var half = z * Math.Sqrt(p * (1 - p) / trials + z2n / (4 * trials)) / (1 + z2n);
        // At 0 or n successes the bound is exactly 0 or 1; clamp rounding noise.
        return new Interval(p, Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>Wilson interval of an accuracy measured on <paramref name="trials"/> examples.</summary>
    public static Interval Wilson(double fraction, int trials, double confidence = 0.95) =>
        Wilson((int)Math.Round(fraction * trials), trials, confidence);
}
