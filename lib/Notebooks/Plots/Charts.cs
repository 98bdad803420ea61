using System.Reflection;
using ScienceOfDL.Results;
using XPlot.Plotly;

namespace ScienceOfDL.Plots;

/// <summary>Charts as offline HTML. plotly.js 2.35.3 is embedded in this assembly, so nothing is fetched from a
/// CDN.</summary>
public static class Charts
{
    static readonly Lazy<string> PlotlyScript = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("plotly.min.js")
            ?? throw new InvalidOperationException("plotly.min.js is not embedded in ScienceOfDL.dll.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>The plotly.js library source (minified).</summary>
    public static string PlotlyJs => PlotlyScript.Value;

    /// <summary>A whole HTML page that draws the chart. By default plotly.js is inlined: one file that works offline
    /// anywhere. With <paramref name="plotlySrc"/> (a relative path to a shared plotly.min.js) the page loads that copy
    /// instead and holds only the chart's data. <paramref name="note"/> is HTML shown under the chart.</summary>
    public static string ToStandaloneHtml(
        PlotlyChart chart,
        string? title = null,
        string? plotlySrc = null,
        string note = ""
    )
    {
        var script = string.IsNullOrEmpty(plotlySrc)
            ? $"<script>{PlotlyJs}</script>"
            : $"<script src=\"{System.Net.WebUtility.HtmlEncode(plotlySrc)}\"></script>";
        return $"""
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>{System.Net.WebUtility.HtmlEncode(title ?? "chart")}</title>
            {script}</head>
            <body>{ChartHtml.Responsive(chart.GetInlineHtml())}{note}</body></html>
            """;
    }

    /// <summary>Saves the chart as an offline HTML page (see <see cref="ToStandaloneHtml"/>) and returns the full
    /// path.</summary>
    public static string SaveHtml(
        PlotlyChart chart,
        string path,
        string? title = null,
        string? plotlySrc = null,
        string note = ""
    )
    {
        var full = Path.GetFullPath(path);
        AtomicFile.WriteText(
            full,
            ToStandaloneHtml(chart, title ?? Path.GetFileNameWithoutExtension(path), plotlySrc, note)
        );
        return full;
    }
}
