using System.Collections;
using System.Globalization;
using ScienceOfDL.Statistics;
using XPlot.Plotly;

namespace ScienceOfDL.Plots;

/// <summary>
/// A chart as data: named series (or a grid), titles and axes. Built by <see cref="Plot"/>'s one-call helpers and
/// refined with the methods below, each of which returns a new figure; notebooks display it directly. The only place
/// that knows XPlot is <see cref="ToPlotly"/>.
/// </summary>
public sealed record Figure(string? Title = null)
{
    /// <summary>plotly's default colours, given in order to series without their own (so bands match lines).</summary>
    public static readonly string[] Palette =
    [
        "#1f77b4",
        "#ff7f0e",
        "#2ca02c",
        "#d62728",
        "#9467bd",
        "#8c564b",
        "#e377c2",
        "#7f7f7f",
        "#bcbd22",
        "#17becf",
    ];

    public IReadOnlyList<Series> Series { get; init; } = [];
    public Grid? Grid { get; init; }
    public Axis XAxis { get; init; } = new();
    public Axis YAxis { get; init; } = new();

    /// <summary>The widest the chart may grow, in pixels; null: the full width of its page or cell. Either way it
    /// shrinks to fit a narrower one (see <see cref="ChartHtml"/>).</summary>
    public int? Width { get; init; }
    public int Height { get; init; } = 420;

    /// <summary>The chart's takeaway in a sentence, shown under it (see <see cref="Caption"/>).</summary>
    public string? CaptionText { get; init; }

    /// <summary>True for the one chart that shows a notebook's finding best (see <see cref="Headline"/>).</summary>
    public bool IsHeadline { get; init; }

    /// <summary>The grey that <see cref="Highlight"/> draws the other series in.</summary>
    public const string Muted = "#c4c4c4";

    public Figure Add(params Series[] series) => this with { Series = [.. Series, .. series] };

    /// <summary>Adds a line; <paramref name="band"/> shades an interval around it.</summary>
    public Figure Line<TX, TY>(
        string name,
        IEnumerable<TX> x,
        IEnumerable<TY> y,
        Dash dash = Dash.Solid,
        string? color = null,
        IEnumerable<Interval>? band = null,
        bool markers = false
    ) =>
        Add(
            new Series(name, markers ? SeriesKind.LinesAndMarkers : SeriesKind.Lines, Objects(x), Numbers(y))
            {
                Dash = dash,
                Color = color,
                Intervals = band?.ToArray(),
            }
        );

    /// <summary>Adds points, with optional hover text and error bars.</summary>
    public Figure Markers<TX, TY>(
        string name,
        IEnumerable<TX> x,
        IEnumerable<TY> y,
        IEnumerable<string>? text = null,
        string? color = null,
        double size = 7,
        IEnumerable<Interval>? errors = null
    ) =>
        Add(
            new Series(name, SeriesKind.Markers, Objects(x), Numbers(y))
            {
                Text = text?.ToArray(),
                Color = color,
                MarkerSize = size,
                Intervals = errors?.ToArray(),
            }
        );

    /// <summary>Adds bars (grouped beside other bar series), with optional error bars.</summary>
    public Figure Bars<TX, TY>(
        string name,
        IEnumerable<TX> x,
        IEnumerable<TY> y,
        IEnumerable<Interval>? errors = null
    ) => Add(new Series(name, SeriesKind.Bars, Objects(x), Numbers(y)) { Intervals = errors?.ToArray() });

    /// <summary>A vertical line across the data, e.g. the step where something happened (none if null).</summary>
    public Figure VLine(double? x, string name, Dash dash = Dash.Dot, string? color = null) =>
        x is double v ? Add(new Series(name, SeriesKind.VerticalLine, [v], []) { Dash = dash, Color = color }) : this;

    /// <summary>A horizontal reference line across the data, e.g. chance level (none if null).</summary>
    public Figure HLine(double? y, string name, Dash dash = Dash.Dot, string? color = null) =>
        y is double v ? Add(new Series(name, SeriesKind.HorizontalLine, [], [v]) { Dash = dash, Color = color }) : this;

    /// <summary>Restyles the series called <paramref name="name"/> (an unknown name throws, so typos show).</summary>
    public Figure Style(
        string name,
        Dash? dash = null,
        string? color = null,
        double? markerSize = null,
        double? opacity = null,
        string? symbol = null
    )
    {
        if (Series.All(s => s.Name != name))
            throw new ArgumentException($"no series '{name}' in: {string.Join(", ", Series.Select(s => s.Name))}");
        return Style(s => s.Name == name, dash, color, markerSize, opacity, symbol);
    }

    /// <summary>Restyles every series that <paramref name="which"/> selects.</summary>
    public Figure Style(
        Func<Series, bool> which,
        Dash? dash = null,
        string? color = null,
        double? markerSize = null,
        double? opacity = null,
        string? symbol = null
    ) =>
        this with
        {
            Series = Series
                .Select(s =>
                    !which(s)
                        ? s
                        : s with
                        {
                            Dash = dash ?? s.Dash,
                            Color = color ?? s.Color,
                            MarkerSize = markerSize ?? s.MarkerSize,
                            Opacity = opacity ?? s.Opacity,
                            Symbol = symbol ?? s.Symbol,
                        }
                )
                .ToArray(),
        };

    /// <summary>Colours for the series, in order (reference lines included).</summary>
    public Figure Colors(params string[] colors) =>
        this with
        {
            Series = Series.Select((s, i) => i < colors.Length ? s with { Color = colors[i] } : s).ToArray(),
        };

    public Figure Titles(string? title = null, string? x = null, string? y = null) =>
        this with
        {
            Title = title ?? Title,
            XAxis = XAxis with { Title = x ?? XAxis.Title },
            YAxis = YAxis with { Title = y ?? YAxis.Title },
        };

    public Figure LogX(bool log = true) => this with { XAxis = XAxis with { Log = log } };

    public Figure LogY(bool log = true) => this with { YAxis = YAxis with { Log = log } };

    public Figure XRange(double min, double max) => this with { XAxis = XAxis with { Range = (min, max) } };

    public Figure YRange(double min, double max) => this with { YAxis = YAxis with { Range = (min, max) } };

    public Figure YFromZero() => this with { YAxis = YAxis with { FromZero = true } };

    public Figure Size(int width, int height) => this with { Width = width, Height = height };

    /// <summary>What the reader should take from the chart, in one sentence: shown under it in the notebook, and as
    /// its caption on the site ("Figure 3. Test accuracy jumps long after train accuracy").</summary>
    public Figure Caption(string takeaway) => this with { CaptionText = takeaway };

    /// <summary>Marks the chart that shows the notebook's finding best: the site shows it in the page's "What you
    /// will see" block, before any other chart. One per notebook.</summary>
    public Figure Headline(bool headline = true) => this with { IsHeadline = headline };

    /// <summary>
    /// Keeps a busy chart readable: the series that <paramref name="keep"/> selects keep their colours (in order, from
    /// the palette) and legend entries; every other data series is drawn thin and grey behind them, without a legend
    /// entry, or with a single shared one when <paramref name="others"/> names the group ("other seeds"). Reference
    /// lines are left as they are.
    /// </summary>
    public Figure Highlight(Func<Series, bool> keep, string? others = null)
    {
        var colour = 0;
        var kept = Series
            .Select(s =>
                s.Kind is SeriesKind.VerticalLine or SeriesKind.HorizontalLine || keep(s)
                    ? (
                        Keep: true,
                        Series: s.Color is null && IsData(s) ? s with { Color = Palette[colour++ % Palette.Length] } : s
                    )
                    : (Keep: false, Series: s)
            )
            .ToList();
        var muted = kept.Where(k => !k.Keep)
            .Select(
                (k, i) =>
                    k.Series with
                    {
                        Color = Muted,
                        LineWidth = 1,
                        MarkerSize = Math.Min(k.Series.MarkerSize ?? 6, 4),
                        ShowLegend = others is not null && i == 0,
                        Name = others is not null && i == 0 ? others : k.Series.Name,
                        Intervals = k.Series.Kind == SeriesKind.Markers ? k.Series.Intervals : null,
                    }
            );
        return this with { Series = [.. muted, .. kept.Where(k => k.Keep).Select(k => k.Series)] };
    }

    /// <summary>The chart's legend entries: what <see cref="Highlight"/> keeps a chart to a handful of.</summary>
    public int LegendEntries => Series.Count(s => s.Name.Length > 0 && s.ShowLegend != false);

    static bool IsData(Series s) => s.Kind is not (SeriesKind.VerticalLine or SeriesKind.HorizontalLine);

    /// <summary>The div width XPlot's template is given where no width is set; ChartHtml.Responsive replaces
    /// it.</summary>
    const int DefaultWidth = 760;

    /// <summary>The XPlot chart that draws this figure.</summary>
    public PlotlyChart ToPlotly()
    {
        var traces = new List<Trace>();
        if (Grid is { } g)
            traces.Add(GridTrace(g));
        var colored = Series.Select((s, i) => s with { Color = s.Color ?? Palette[i % Palette.Length] });
        foreach (var s in colored)
            traces.AddRange(Traces(s));
        var layout = new Layout.Layout
        {
            title = Title ?? "",
            height = Height,
            xaxis = XAxisOf(XAxis),
            yaxis = YAxisOf(YAxis),
            autosize = true,
            barmode = Series.Any(s => s.Kind == SeriesKind.Histogram) ? "overlay" : "group",
        };
        if (Width is int width)
            layout.width = width;
        if (Grid is { } grid && grid.Y.Count > 0) // room for long row labels
        {
            var longest = grid.Y.Max(y => Convert.ToString(y, CultureInfo.InvariantCulture)!.Length);
            layout.margin = new Margin { l = Math.Clamp(7 * longest + 30, 60, 320) };
        }
        if (Series.Any(s => s.Kind == SeriesKind.Box)) // room for the legend beside the boxes' rotated names
            layout.margin = new Margin { r = 230, b = 150 };
        var chart = Chart.Plot(traces, layout);
        // The div's size; the layout's alone leaves XPlot's 900 × 500 box around it. ChartHtml.Responsive lets the div
        // fill its column instead, up to the layout's width if it has one.
        chart.WithSize(Width ?? DefaultWidth, Height);
        return chart;
    }

    IEnumerable<Trace> Traces(Series s)
    {
        var x = s.X.ToArray();
        var y = s.Y.ToArray();
        switch (s.Kind)
        {
            case SeriesKind.Lines or SeriesKind.LinesAndMarkers or SeriesKind.Markers:
                if (s.Intervals is { } band && s.Kind != SeriesKind.Markers)
                {
                    // The band: an invisible upper edge, then the lower edge filled up to it.
                    yield return new Scatter
                    {
                        x = x,
                        y = band.Select(i => i.Upper).ToArray(),
                        mode = "lines",
                        showlegend = false,
                        hoverinfo = "skip",
                        line = new Line { width = 0, color = s.Color },
                        name = s.Name + " (upper)",
                    };
                    yield return new Scatter
                    {
                        x = x,
                        y = band.Select(i => i.Lower).ToArray(),
                        mode = "lines",
                        showlegend = false,
                        hoverinfo = "skip",
                        line = new Line { width = 0, color = s.Color },
                        fill = "tonexty",
                        fillcolor = Transparent(s.Color!),
                        name = s.Name + " (lower)",
                    };
                }
                var mode = s.Kind switch
                {
                    SeriesKind.Lines => "lines",
                    SeriesKind.Markers => "markers",
                    _ => "lines+markers",
                };
                var scatter = new Scatter
                {
                    x = x,
                    y = y,
                    name = s.Name,
                    mode = mode,
                    line = new Line { color = s.Color, dash = DashName(s.Dash) },
                    marker = new Marker
                    {
                        color = s.Color,
                        size = s.MarkerSize ?? 6,
                        opacity = s.Opacity ?? 1.0,
                    },
                };
                if (s.LineWidth is double lineWidth)
                    scatter.line.width = lineWidth;
                if (s.Symbol is not null)
                    scatter.marker.symbol = s.Symbol;
                if (s.Text is not null)
                    scatter.text = s.Text.ToArray();
                if (s.Name.Length == 0 || s.ShowLegend == false)
                    scatter.showlegend = false;
                if (s.Kind == SeriesKind.Markers && s.Intervals is not null)
                    scatter.error_y = Errors(s);
                yield return scatter;
                break;
            case SeriesKind.Bars:
                var bar = new Bar
                {
                    x = x,
                    y = y,
                    name = s.Name,
                    marker = new Marker { color = s.Color },
                };
                if (s.ShowLegend == false)
                    bar.showlegend = false;
                if (s.Intervals is not null)
                    bar.error_y = Errors(s);
                if (s.Opacity is double o)
                    bar.opacity = o;
                yield return bar;
                break;
            case SeriesKind.Box:
                yield return new Box
                {
                    y = y,
                    name = s.Name,
                    boxpoints = "all",
                    jitter = 0.4,
                    pointpos = 0,
                    marker = new Marker { color = s.Color, size = s.MarkerSize ?? 4 },
                    showlegend = false,
                };
                break;
            case SeriesKind.Histogram:
                var histogram = new Histogram
                {
                    x = y,
                    name = s.Name,
                    opacity = s.Opacity ?? 0.6,
                    marker = new Marker { color = s.Color },
                };
                if (s.Bins is { } b)
                {
                    histogram.autobinx = false;
                    histogram.xbins = new Xbins
                    {
                        start = b.Start,
                        end = b.End,
                        size = b.Size,
                    };
                }
                yield return histogram;
                break;
            case SeriesKind.VerticalLine:
                var (y0, y1) = YAxis.Range
                    ?? Extent(
                        Data().SelectMany(o => o.Intervals?.SelectMany(i => new[] { i.Lower, i.Upper }) ?? o.Y),
                        (0, 1)
                    );
                yield return new Scatter
                {
                    x = new[] { x[0], x[0] },
                    y = new[] { y0, y1 },
                    mode = "lines",
                    name = s.Name,
                    line = new Line { color = s.Color, dash = DashName(s.Dash) },
                };
                break;
            case SeriesKind.HorizontalLine:
                var xs = Data().SelectMany(o => o.X).ToList();
                object[] ends =
                    XAxis.Range is { } r ? [r.Min, r.Max]
                    : xs.All(IsNumber) && xs.Count > 0 ? [xs.Min(ToDouble), xs.Max(ToDouble)]
                    : xs.Count > 0 ? [xs[0], xs[^1]]
                    : [0.0, 1.0];
                yield return new Scatter
                {
                    x = ends,
                    y = new[] { y[0], y[0] },
                    mode = "lines",
                    name = s.Name,
                    line = new Line { color = s.Color, dash = DashName(s.Dash) },
                };
                break;
        }
    }

    /// <summary>The series that hold data, as opposed to reference lines.</summary>
    IEnumerable<Series> Data() =>
        Series.Where(s => s.Kind is not (SeriesKind.VerticalLine or SeriesKind.HorizontalLine));

    static Trace GridTrace(Grid g)
    {
        if (g.Contour)
        {
            var contour = new Contour
            {
                z = g.Z,
                x = g.X.ToArray(),
                y = g.Y.ToArray(),
                colorscale = g.ColorScale,
                ncontours = 30,
                name = g.Name ?? "",
            };
            if (g.ZMin is double lo)
                contour.zmin = lo;
            if (g.ZMax is double hi)
                contour.zmax = hi;
            return contour;
        }
        var heatmap = new Heatmap
        {
            z = g.Z,
            x = g.X.ToArray(),
            y = g.Y.ToArray(),
            colorscale = g.ColorScale,
            name = g.Name ?? "",
        };
        if (g.ZMin is double min)
            heatmap.zmin = min;
        if (g.ZMax is double max)
            heatmap.zmax = max;
        return heatmap;
    }

    static Error_y Errors(Series s) =>
        new()
        {
            type = "data",
            symmetric = false,
            visible = true,
            array = s.Intervals!.Select(i => i.Upper - i.Value).ToArray(),
            arrayminus = s.Intervals!.Select(i => i.Value - i.Lower).ToArray(),
        };

    static Xaxis XAxisOf(Axis a)
    {
        var axis = new Xaxis { title = a.Title ?? "" };
        if (a.Log)
            axis.type = "log";
        if (RangeOf(a) is { } range)
            axis.range = range;
        if (a.FromZero)
            axis.rangemode = "tozero";
        return axis;
    }

    static Yaxis YAxisOf(Axis a)
    {
        var axis = new Yaxis { title = a.Title ?? "" };
        if (a.Log)
            axis.type = "log";
        if (RangeOf(a) is { } range)
            axis.range = range;
        if (a.FromZero)
            axis.rangemode = "tozero";
        return axis;
    }

    /// <summary>plotly wants a log axis's range as powers of ten.</summary>
    static double[]? RangeOf(Axis a) =>
        a.Range is not { } r ? null
        : a.Log ? [Math.Log10(r.Min), Math.Log10(r.Max)]
        : [r.Min, r.Max];

    static (double, double) Extent(IEnumerable<double> values, (double, double) fallback)
    {
        var finite = values.Where(double.IsFinite).ToList();
        return finite.Count == 0 ? fallback : (finite.Min(), finite.Max());
    }

    static string DashName(Dash d) =>
        d switch
        {
            Dash.Dot => "dot",
            Dash.Dash => "dash",
            Dash.DashDot => "dashdot",
            _ => "solid",
        };

    /// <summary>A #rrggbb colour at 20% opacity, for bands; other colour forms are used as they are.</summary>
    static string Transparent(string color)
    {
        if (color.Length != 7 || color[0] != '#')
            return color;
        int Channel(int at) => Convert.ToInt32(color[at..(at + 2)], 16);
        return $"rgba({Channel(1)},{Channel(3)},{Channel(5)},0.2)";
    }

    internal static object[] Objects(IEnumerable values) => values.Cast<object>().ToArray();

    /// <summary>Numbers of any numeric type (float[] from a tensor, int[], double[]) as doubles.</summary>
    internal static double[] Numbers(IEnumerable values) =>
        values
            .Cast<object>()
            .Select(v => IsNumber(v) ? ToDouble(v) : throw new ArgumentException($"'{v}' is not a number"))
            .ToArray();

    internal static bool IsNumber(object v) =>
        v is double or float or int or long or short or byte or decimal or uint or ulong;

    internal static double ToDouble(object v) => Convert.ToDouble(v, CultureInfo.InvariantCulture);
}
