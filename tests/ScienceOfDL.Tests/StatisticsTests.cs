using ScienceOfDL.Statistics;

namespace ScienceOfDL.Tests;

public class StatisticsTests
{
    [Theory]
    // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I, method 3 (Wilson score).
    [InlineData(81, 263, 0.2553, 0.3662)]
    [InlineData(15, 148, 0.0624, 0.1605)]
    [InlineData(0, 20, 0.0000, 0.1611)]
    [InlineData(1, 29, 0.0061, 0.1718)]
    public void Wilson_interval_matches_Newcombe(int successes, int trials, double lower, double upper)
    {
        var ci = Proportion.Wilson(successes, trials);
        Assert.Equal(successes / (double)trials, ci.Value, 12);
        Assert.Equal(lower, ci.Lower, 4);
        Assert.Equal(upper, ci.Upper, 4);
    }

    [Fact]
    public void Wilson_interval_narrows_with_n_and_accepts_a_fraction()
    {
        Assert.True(Proportion.Wilson(80, 100).Width < Proportion.Wilson(8, 10).Width);
        Assert.Equal(Proportion.Wilson(71, 100), Proportion.Wilson(0.71, 100));
        Assert.True(Proportion.Wilson(5, 10, confidence: 0.99).Width > Proportion.Wilson(5, 10).Width);
        Assert.Equal(1.0, Proportion.Wilson(10, 10).Upper);
        Assert.Throws<ArgumentOutOfRangeException>(() => Proportion.Wilson(11, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => Proportion.Wilson(0, 0));
    }

    [Fact]
    public void One_sided_binomial_test_is_the_exact_upper_tail()
    {
        Assert.Equal(176.0 / 1024, HypothesisTests.BinomialGreater(7, 10, 0.5), 12); // P(X ≥ 7), X ~ B(10, ½)
        Assert.Equal(11.0 / 1024, HypothesisTests.BinomialGreater(9, 10, 0.5), 12);
        Assert.Equal(1.0, HypothesisTests.BinomialGreater(0, 10, 0.3), 12);
        // A tiny tail stays exact instead of cancelling to 0 as 1 − CDF would: 28 of 50 at p0 = 0.1.
        Assert.Equal(9.538207542628825e-16, HypothesisTests.BinomialGreater(28, 50, 0.1), 1e-25);
    }

    [Fact]
    public void One_sided_Fisher_test_matches_exact_hypergeometric_tails()
    {
        // Fisher's lady tasting tea: 3 of 4 cups right in each column, p = 17/70 (scipy: fisher_exact(..., 'greater')).
        Assert.Equal(17.0 / 70, HypothesisTests.FisherGreater(3, 4, 1, 4), 12);
        Assert.Equal(37.0 / 429, HypothesisTests.FisherGreater(6, 8, 1, 5), 12);
        // 28 of 50 seeds follow a distractor against 5 of 50 untrained probes: 197292707 / 284296760133987.
        Assert.Equal(197292707.0 / 284296760133987, HypothesisTests.FisherGreater(28, 50, 5, 50), 1e-18);
        // The other direction is no evidence at all.
        Assert.True(HypothesisTests.FisherGreater(5, 50, 28, 50) > 0.99);
    }

    [Fact]
    public void Bootstrap_interval_is_seeded_and_has_the_normal_width_for_a_mean()
    {
        var rng = new Random(3);
        var sample = Enumerable.Range(0, 400).Select(_ => rng.NextDouble()).ToArray(); // uniform: sd 1/√12
        var a = Bootstrap.Mean(sample, seed: 1);
        Assert.Equal(a, Bootstrap.Mean(sample, seed: 1));
        Assert.NotEqual(a, Bootstrap.Mean(sample, seed: 2));
        Assert.Equal(sample.Average(), a.Value, 12);
        Assert.True(a.Contains(a.Value));
        var normalWidth = 2 * 1.96 * Math.Sqrt(1.0 / 12 / sample.Length);
        Assert.InRange(a.Width / normalWidth, 0.85, 1.15);
        // Any statistic: the median of the same sample.
        var median = Bootstrap.Interval(sample, s => s.Order().ElementAt(s.Count / 2), seed: 1);
        Assert.True(median.Lower < median.Value && median.Value < median.Upper);
    }

    [Fact]
    public void Line_fit_recovers_a_line_and_its_crossings()
    {
        var x = new[] { 1.0, 2, 3, 4, 5 };
        var fit = LineFit.Of(x, x.Select(v => 2 - 0.5 * v));
        Assert.Equal(2, fit.Intercept, 10);
        Assert.Equal(-0.5, fit.Slope, 10);
        Assert.Equal(1, fit.RSquared, 10);
        Assert.Equal(3, fit.XAt(0.5)!.Value, 10);
        Assert.Equal(2, fit.Crossing(new LineFit(0, 0.5, 1, 2))!.Value, 10); // 2 − x/2 = x/2
        // Noisy points: least squares by hand (x̄ = 3, ȳ = 2.2, Sxy = 5, Sxx = 10) and R² = 1 − SSres / SStot.
        var noisy = LineFit.Of(x, new[] { 1.0, 2, 2, 3, 3 });
        Assert.Equal(0.5, noisy.Slope, 10);
        Assert.Equal(0.7, noisy.Intercept, 10);
        Assert.Equal(1 - 0.3 / 2.8, noisy.RSquared, 10);
        Assert.Throws<ArgumentException>(() => LineFit.Of([1.0, 1.0], [2.0, 3.0]));
    }

    [Theory]
    [InlineData(0.71, 0.65, 0.77, "0.71 [0.65, 0.77]")]
    [InlineData(0.712, 0.7065, 0.7181, "0.712 [0.707, 0.718]")]
    [InlineData(1234.4, 1220.1, 1245.2, "1234 [1220, 1245]")]
    [InlineData(0.5, 0.5, 0.5, "0.500 [0.500, 0.500]")] // no width: three significant digits
    public void Interval_prints_as_many_decimals_as_its_width_supports(double v, double lo, double hi, string text) =>
        Assert.Equal(text, new Interval(v, lo, hi).ToString());
}
