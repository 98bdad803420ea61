using ScienceOfDL.Grokking;
using ScienceOfDL.Statistics;

namespace ScienceOfDL.Plots;

/// <summary>The charts of the grokking notebook (05) that group many runs, from the library's typed rows.</summary>
public static class GrokkingCharts
{
    /// <summary>
    /// The semi-grokking search with one line per training-set size D (and weight decay, when the search has
    /// several): the seeds' mean test accuracy over time in weight-decay time scales 1/(lr·wd), shaded from the
    /// lowest seed to the highest, so every run stays visible inside its band. Each line's name counts its
    /// semi-grokked runs; the 0.2 and 0.8 reference lines mark the definition's band.
    /// </summary>
    public static Figure SemiGrokkingBySize(
        IReadOnlyList<(SemiGrokkingRun Summary, List<StepMetrics> Log)> runs,
        string title
    )
    {
        var manyDecays = runs.Select(r => r.Summary.WeightDecay).Distinct().Count() > 1;
        var figure = Plot.Chart(
            title,
            "time in weight-decay time scales 1/(lr·wd)",
            "test accuracy (seeds' mean, range)"
        );
        var groups = runs.GroupBy(r => (r.Summary.WeightDecay, r.Summary.TrainSize))
            .OrderBy(g => g.Key.WeightDecay)
            .ThenBy(g => g.Key.TrainSize);
        foreach (var g in groups)
        {
            var members = g.ToList();
            var points = members.Min(r => r.Log.Count);
            var semi = members.Count(r => r.Summary.Outcome == SemiGrokkingOutcome.SemiGrokked);
            var name =
                (manyDecays ? $"wd {g.Key.WeightDecay}, " : "")
                + $"D = {g.Key.TrainSize} ({semi} of {members.Count} semi-grokked)";
            var bands = Enumerable
                .Range(0, points)
                .Select(i => members.Select(r => r.Log[i].TestAccuracy).ToArray())
                .Select(a => new Interval(a.Average(), a.Min(), a.Max()))
                .ToArray();
            var first = members[0];
            var times = Enumerable.Range(0, points).Select(i => (object)SemiGrokking.TimeScalesAt(first, i)).ToArray();
            figure = figure.Add(
                new Series(name, SeriesKind.Lines, times, bands.Select(b => b.Value).ToArray()) { Intervals = bands }
            );
        }
        return figure.HLine(SemiGrokking.Low, "0.2").HLine(SemiGrokking.High, "0.8");
    }
}
