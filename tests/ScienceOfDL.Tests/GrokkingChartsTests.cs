using ScienceOfDL.Grokking;
using ScienceOfDL.Plots;

namespace ScienceOfDL.Tests;

public class GrokkingChartsTests
{
    static List<StepMetrics> Log(params double[] testAccuracies) =>
        testAccuracies
            .Select((a, i) => new StepMetrics(i * 50, 0, 1, 0, a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
            .ToList();

    static (SemiGrokkingRun, List<StepMetrics>) Run(int size, int seed, SemiGrokkingOutcome outcome, params double[] a)
    {
        var log = Log(a);
        var summary = new SemiGrokkingRun(31, size, 8, seed, log[^1].Step, 2, a[0], 1, a[^1], a.Max(), 0, outcome);
        return (summary, log);
    }

    [Fact]
    public void The_semi_grokking_search_draws_one_banded_line_per_size_with_its_seeds_mean_and_range()
    {
        var runs = new List<(SemiGrokkingRun, List<StepMetrics>)>
        {
            Run(340, 0, SemiGrokkingOutcome.Memorised, 0.0, 0.1, 0.1),
            Run(300, 0, SemiGrokkingOutcome.Memorised, 0.0, 0.0, 0.0),
            Run(340, 1, SemiGrokkingOutcome.SemiGrokked, 0.0, 0.5, 0.7),
            Run(300, 1, SemiGrokkingOutcome.Memorised, 0.0, 0.1, 0.0),
        };

        var figure = GrokkingCharts.SemiGrokkingBySize(runs, "search");

        var lines = figure.Series.Where(s => s.Kind == SeriesKind.Lines).ToList();
        Assert.Equal(["D = 300 (0 of 2 semi-grokked)", "D = 340 (1 of 2 semi-grokked)"], lines.Select(s => s.Name));
        Assert.Equal([0.0, 1.0, 2.0], lines[1].X.Select(Convert.ToDouble));
        Assert.Equal([0.0, 0.3, 0.4], lines[1].Y, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal([0.0, 0.5, 0.7], lines[1].Intervals!.Select(i => i.Upper));
        Assert.Equal([0.0, 0.1, 0.1], lines[1].Intervals!.Select(i => i.Lower));
        Assert.Equal(2, figure.Series.Count(s => s.Kind == SeriesKind.HorizontalLine));
    }
}
