using MathNet.Numerics.Statistics;

namespace ScienceOfDL.Statistics;

/// <summary>Percentile bootstrap (Efron): resample the sample with replacement, recompute the statistic, and take the
/// middle 95% of its values. For statistics without a formula, e.g. the mean accuracy over seeds or a median
/// loss.</summary>
public static class Bootstrap
{
    public static Interval Interval(
        IReadOnlyList<double> sample,
        Func<IReadOnlyList<double>, double> statistic,
        int seed,
        int resamples = 2000,
        double confidence = 0.95
    )
    {
        if (sample.Count == 0)
            throw new ArgumentException("cannot bootstrap an empty sample", nameof(sample));
        if (resamples < 1)
            throw new ArgumentOutOfRangeException(nameof(resamples));
        var rng = new Random(seed);
        var values = new double[resamples];
        var draw = new double[sample.Count];
        for (var b = 0; b < resamples; b++)
        {
            for (var i = 0; i < draw.Length; i++)
                draw[i] = sample[rng.Next(sample.Count)];
            values[b] = statistic(draw);
        }
        var tail = (1 - confidence) / 2;
        return new Interval(statistic(sample), values.Quantile(tail), values.Quantile(1 - tail));
    }

    /// <summary>The 95% percentile interval around <paramref name="point"/> from a bootstrap whose resamples may leave
    /// the statistic undefined (e.g. a crossing that a resample does not cross): <paramref name="values"/> holds those
    /// that gave one. Null without a point, or when fewer than half of the <paramref name="resamples"/> gave a
    /// value.</summary>
    public static Interval? Percentiles(double? point, List<double> values, int resamples)
    {
        if (point is not double p || values.Count < resamples / 2)
            return null;
        values.Sort();
        return new Interval(p, values[(int)(0.025 * (values.Count - 1))], values[(int)(0.975 * (values.Count - 1))]);
    }

    /// <summary>Interval of the mean of <paramref name="sample"/>.</summary>
    public static Interval Mean(
        IReadOnlyList<double> sample,
        int seed,
        int resamples = 2000,
        double confidence = 0.95
    ) => Interval(sample, s => s.Mean(), seed, resamples, confidence);
}
