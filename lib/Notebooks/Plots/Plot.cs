using System.Collections;
using System.Globalization;
using ScienceOfDL.Statistics;

namespace ScienceOfDL.Plots;

/// <summary>
/// Charts in one call, from rows and selectors:
/// <c>display(Plot.Lines(log, x: m =&gt; m.Step, y: m =&gt; m.TestAccuracy, title: "...", xTitle: "step",
/// yTitle: "accuracy", logX: true))</c>. <c>series</c> splits rows into one named series per key (in order of first
/// appearance); <c>ys</c> draws several columns of the same rows. Each returns a <see cref="Figure"/>, which
/// <c>.VLine</c>, <c>.Style</c>, <c>.YRange</c>, <c>.Size</c>... refine.
/// </summary>
public static class Plot
{
    /// <summary>An empty figure with titles, to fill with <see cref="Figure.Line"/>, <see cref="Figure.Markers"/>,
    /// ...</summary>
    public static Figure Chart(string? title = null, string? xTitle = null, string? yTitle = null) =>
        new Figure(title) { XAxis = new Axis(xTitle), YAxis = new Axis(yTitle) };

    /// <summary>Lines of y over x, one per <paramref name="series"/> key; <paramref name="ci"/> shades an interval
    /// band around each.</summary>
    public static Figure Lines<T>(
        IEnumerable<T> rows,
        Func<T, object> x,
        Func<T, double> y,
        Func<T, object>? series = null,
        string? title = null,
        string? xTitle = null,
        string? yTitle = null,
        bool logX = false,
        bool logY = false,
        Func<T, Interval>? ci = null,
        bool markers = false
    ) =>
        Fill(Chart(title, xTitle, yTitle), Grouped(rows, series, LineKind(markers), x, y, ci, null))
            .LogX(logX)
            .LogY(logY);

    /// <summary>One line per named column of the same rows:
    /// <c>ys: [("train", m =&gt; m.Train), ("test", m =&gt; m.Test)]</c>.</summary>
    public static Figure Lines<T>(
        IEnumerable<T> rows,
        Func<T, object> x,
        IEnumerable<(string Name, Func<T, double> Y)> ys,
        string? title = null,
        string? xTitle = null,
        string? yTitle = null,
        bool logX = false,
        bool logY = false,
        bool markers = false
    ) => Fill(Chart(title, xTitle, yTitle), Columns(rows, x, ys, LineKind(markers))).LogX(logX).LogY(logY);

    /// <summary>Points, one colour per <paramref name="series"/> key, with hover <paramref name="text"/> and error
    /// bars from <paramref name="ci"/>.</summary>
    public static Figure Scatter<T>(
        IEnumerable<T> rows,
        Func<T, object> x,
        Func<T, double> y,
        Func<T, object>? series = null,
        string? title = null,
        string? xTitle = null,
        string? yTitle = null,
        bool logX = false,
        bool logY = false,
        Func<T, string>? text = null,
        Func<T, Interval>? ci = null,
        double size = 7
    ) =>
        Fill(
                Chart(title, xTitle, yTitle),
                Grouped(rows, series, SeriesKind.Markers, x, y, ci, text).Select(s => s with { MarkerSize = size })
            )
            .LogX(logX)
            .LogY(logY);

    /// <summary>Points of several named columns of the same rows, one colour each.</summary>
    public static Figure Scatter<T>(
        IEnumerable<T> rows,
        Func<T, object> x,
        IEnumerable<(string Name, Func<T, double> Y)> ys,
        string? title = null,
        string? xTitle = null,
        string? yTitle = null,
        bool logX = false,
        bool logY = false,
        double size = 7
    ) =>
        Fill(
                Chart(title, xTitle, yTitle),
                Columns(rows, x, ys, SeriesKind.Markers).Select(s => s with { MarkerSize = size })
            )
            .LogX(logX)
            .LogY(logY);

    /// <summary>Bars of y for each x (a category), side by side per <paramref name="series"/> key, with error bars
    /// from <paramref name="ci"/>.</summary>
    public static Figure Bars<T>(
        IEnumerable<T> rows,
        Func<T, object> x,
        Func<T, double> y,
        Func<T, object>? series = null,
        string? title = null,
        string? xTitle = null,
        string? yTitle = null,
        Func<T, Interval>? ci = null
    ) => Fill(Chart(title, xTitle, yTitle), Grouped(rows, series, SeriesKind.Bars, x, y, ci, null));

    /// <summary>Grouped bars: a group per row, a bar per named column.</summary>
    public static Figure Bars<T>(
        IEnumerable<T> rows,
        Func<T, object> x,
        IEnumerable<(string Name, Func<T, double> Y)> ys,
        string? title = null,
        string? xTitle = null,
        string? yTitle = null
    ) => Fill(Chart(title, xTitle, yTitle), Columns(rows, x, ys, SeriesKind.Bars));

    /// <summary>A box (every point drawn beside it) per <paramref name="group"/> key, named on the x axis (not in the
    /// legend); <paramref name="color"/> draws every box in one colour, so markers added later stand out.</summary>
    public static Figure Box<T>(
        IEnumerable<T> rows,
        Func<T, double> y,
        Func<T, object> group,
        string? title = null,
        string? xTitle = null,
        string? yTitle = null,
        string? color = null
    ) =>
        Fill(
            Chart(title, xTitle, yTitle),
            Groups(rows, group)
                .Select(g => new Series(g.Name, SeriesKind.Box, [], g.Rows.Select(y).ToArray()) { Color = color })
        );

    /// <summary>Overlaid histograms of <paramref name="value"/>, one per <paramref name="series"/> key; bins of
    /// <paramref name="binSize"/> from <paramref name="start"/> to <paramref name="end"/> when all three are
    /// given.</summary>
    public static Figure Histogram<T>(
        IEnumerable<T> rows,
        Func<T, double> value,
        Func<T, object>? series = null,
        string? title = null,
        string? xTitle = null,
        string? yTitle = "count",
        double? start = null,
        double? end = null,
        double? binSize = null
    )
    {
        (double, double, double)? bins = start is double a && end is double b && binSize is double w ? (a, b, w) : null;
        return Fill(
            Chart(title, xTitle, yTitle),
            Groups(rows, series)
                .Select(g => new Series(g.Name, SeriesKind.Histogram, [], g.Rows.Select(value).ToArray())
                {
                    Bins = bins,
                })
        );
    }

    /// <summary>A heatmap of <c>z[row][column]</c>, rows labelled by <paramref name="y"/>, columns by
    /// <paramref name="x"/> (default: their indices).</summary>
    public static Figure Heatmap(
        double[][] z,
        IEnumerable? x = null,
        IEnumerable? y = null,
        string? title = null,
        string? xTitle = null,
        string? yTitle = null,
        double? zMin = null,
        double? zMax = null
    ) => Chart(title, xTitle, yTitle) with { Grid = GridOf(z, x, y, contour: false) with { ZMin = zMin, ZMax = zMax } };

    /// <summary>Contour lines of <c>z[row][column]</c> over the grid of <paramref name="x"/> (columns) and
    /// <paramref name="y"/> (rows).</summary>
    public static Figure Contour(
        double[][] z,
        IEnumerable<double> x,
        IEnumerable<double> y,
        string? title = null,
        string? xTitle = null,
        string? yTitle = null
    ) => Chart(title, xTitle, yTitle) with { Grid = GridOf(z, x, y, contour: true) };

    static SeriesKind LineKind(bool markers) => markers ? SeriesKind.LinesAndMarkers : SeriesKind.Lines;

    static Figure Fill(Figure figure, IEnumerable<Series> series) => figure.Add(series.ToArray());

    static Grid GridOf(double[][] z, IEnumerable? x, IEnumerable? y, bool contour)
    {
        if (z.Length == 0 || z.Any(r => r.Length != z[0].Length))
            throw new ArgumentException("z must be a non-empty rectangle");
        var xs = x is null ? Enumerable.Range(0, z[0].Length).Cast<object>().ToArray() : Figure.Objects(x);
        var ys = y is null ? Enumerable.Range(0, z.Length).Cast<object>().ToArray() : Figure.Objects(y);
        if (xs.Length != z[0].Length || ys.Length != z.Length)
            throw new ArgumentException(
                $"z is {z.Length} rows × {z[0].Length} columns, but there are {ys.Length} × {xs.Length} labels"
            );
        return new Grid(z, xs, ys, contour);
    }

    static IEnumerable<Series> Columns<T>(
        IEnumerable<T> rows,
        Func<T, object> x,
        IEnumerable<(string Name, Func<T, double> Y)> ys,
        SeriesKind kind
    )
    {
        var list = rows.ToList();
        return ys.Select(c => new Series(c.Name, kind, list.Select(x).ToArray(), list.Select(c.Y).ToArray()));
    }

    static IEnumerable<Series> Grouped<T>(
        IEnumerable<T> rows,
        Func<T, object>? series,
        SeriesKind kind,
        Func<T, object> x,
        Func<T, double> y,
        Func<T, Interval>? ci,
        Func<T, string>? text
    ) =>
        Groups(rows, series)
            .Select(g => new Series(g.Name, kind, g.Rows.Select(x).ToArray(), g.Rows.Select(y).ToArray())
            {
                Intervals = ci is null ? null : g.Rows.Select(ci).ToArray(),
                Text = text is null ? null : g.Rows.Select(text).ToArray(),
            });

    /// <summary>Rows split by key, in order of each key's first row; without a key, one unnamed group.</summary>
    static IEnumerable<(string Name, List<T> Rows)> Groups<T>(IEnumerable<T> rows, Func<T, object>? key) =>
        key is null
            ? [("", rows.ToList())]
            : rows.GroupBy(r => Convert.ToString(key(r), CultureInfo.InvariantCulture) ?? "")
                .Select(g => (g.Key, g.ToList()));
}
