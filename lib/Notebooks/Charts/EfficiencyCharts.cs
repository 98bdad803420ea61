using ScienceOfDL.Grokking;

namespace ScienceOfDL.Plots;

/// <summary>The charts of the efficiency study (notebook 04), built from the library's typed rows.</summary>
public static class EfficiencyCharts
{
    /// <summary>
    /// Logit reached against parameter norm, one line per training-set size D through its points, as two charts
    /// side by side in reading order: memorising networks (one line per D) and generalising ones, on the same axes so
    /// the two can be compared. Two charts keep each to a handful of lines (the study has 10 curves).
    /// </summary>
    /// <param name="points">The curves' points (<see cref="EfficiencyCurves.Points"/>), in order along each curve.
    /// </param>
    /// <param name="what">What the points are, for the titles ("weight decays 1, 2, 4, 8").</param>
    /// <param name="captions">The takeaway of the memorising chart and of the generalising chart.</param>
    public static IReadOnlyList<Figure> LogitAgainstNorm(
        IReadOnlyList<EfficiencyPoint> points,
        string what,
        (string Memorising, string Generalising) captions
    )
    {
        var (x, y) = (Padded(points.Select(p => p.ParameterNorm)), Padded(points.Select(p => p.CorrectLogit)));
        return
        [
            .. new[] { CircuitKind.Memorising, CircuitKind.Generalising }
                .Where(kind => points.Any(p => p.Kind == kind))
                .Select(kind =>
                    Plot.Lines(
                            points.Where(p => p.Kind == kind),
                            p => p.ParameterNorm,
                            p => p.CorrectLogit,
                            p => $"D = {p.TrainSize}",
                            $"{kind} networks: logit against norm ({what})",
                            "parameter norm",
                            "correct-class logit (mean over seeds)",
                            markers: true
                        )
                        .XRange(x.Min, x.Max)
                        .YRange(y.Min, y.Max)
                        .Caption(kind == CircuitKind.Memorising ? captions.Memorising : captions.Generalising)
                ),
        ];
    }

    /// <summary>The values' range with 5% of it added at each end.</summary>
    static (double Min, double Max) Padded(IEnumerable<double> values)
    {
        var list = values.ToList();
        var (min, max) = (list.Min(), list.Max());
        var pad = Math.Max(max - min, 1e-9) * 0.05;
        return (min - pad, max + pad);
    }
}
