using ScienceOfDL.Statistics;

namespace ScienceOfDL.Plots;

/// <summary>
/// One named series of a <see cref="Figure"/>: x values (numbers or category names) and y values, drawn as
/// <see cref="Kind"/>. For boxes and histograms <see cref="Y"/> holds the sample and X is empty; a reference line holds
/// its one position in X (vertical) or Y (horizontal).
/// </summary>
public sealed record Series(string Name, SeriesKind Kind, IReadOnlyList<object> X, IReadOnlyList<double> Y)
{
    /// <summary>An interval per point: a shaded band around lines, error bars on markers and bars.</summary>
    public IReadOnlyList<Interval>? Intervals { get; init; }

    /// <summary>Hover text per point.</summary>
    public IReadOnlyList<string>? Text { get; init; }
    public Dash Dash { get; init; } = Dash.Solid;

    /// <summary>A CSS colour; by default the next colour of plotly's palette.</summary>
    public string? Color { get; init; }
    public double? MarkerSize { get; init; }
    public double? Opacity { get; init; }

    /// <summary>Line width in pixels (plotly's default: 2).</summary>
    public double? LineWidth { get; init; }

    /// <summary>False hides the series from the legend; by default a named series has an entry.</summary>
    public bool? ShowLegend { get; init; }

    /// <summary>A plotly marker symbol: "circle", "diamond", "square", "x"...</summary>
    public string? Symbol { get; init; }

    /// <summary>Histogram bins: first edge, last edge, width (default: plotly chooses).</summary>
    public (double Start, double End, double Size)? Bins { get; init; }
}
