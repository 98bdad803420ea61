using ScienceOfDL.Grokking;
using ScienceOfDL.Statistics;

namespace ScienceOfDL.Tests;

/// <summary>Notebook 05's table of D_crit estimates: typed methods, and the verdict follows the intervals.</summary>
public class CriticalSizeComparisonTests
{
    static UngrokkingCrossing Crossing(double wd, double at, double lo, double hi) =>
        new(wd, at, new Interval(at, lo, hi), at / 3481, Runs: 3, Settled: 3);

    static CriticalSizeAtLogit Efficiency(double logit, double at, double lo, double hi) =>
        new(logit, CrossingSide.Between, at, new Interval(at, lo, hi), at / 3481, SmallestSize: 60, LargestSize: 700);

    [Fact]
    public void Overlapping_intervals_agree_and_each_row_names_its_method()
    {
        var c = CriticalSizeComparison.Of(
            [Crossing(1, 240, 226, 265), Crossing(8, 234, 222, 248)],
            [Efficiency(30.5, 245, 230, 250)]
        );
        Assert.True(c.Agree);
        Assert.Equal(
            [CriticalSizeMethod.Ungrokking, CriticalSizeMethod.Ungrokking, CriticalSizeMethod.Efficiency],
            c.Rows.Select(r => r.Method)
        );
        Assert.Equal("234–240", c.UngrokkingReading);
    }

    [Fact]
    public void Crossings_that_agree_with_each_other_but_not_with_efficiency_say_so()
    {
        var c = CriticalSizeComparison.Of(
            [Crossing(1, 240, 226, 265), Crossing(8, 234, 222, 248)],
            [Efficiency(30.5, 324, 318, 331)]
        );
        Assert.False(c.Agree);
        Assert.StartsWith("The ungrokking crossings agree across weight decays, but", c.Verdict);
    }
}
