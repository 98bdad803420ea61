using System.Reflection;
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

    /// <summary>A whole HTML page that draws the chart with plotly.js inlined: one file that works offline
    /// anywhere.</summary>
    public static string ToStandaloneHtml(PlotlyChart chart, string? title = null) =>
        $"""
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>{System.Net.WebUtility.HtmlEncode(title ?? "chart")}</title>
        <script>{PlotlyJs}</script></head>
        <body>{chart.GetInlineHtml()}</body></html>
        """;

    /// <summary>Saves the chart as a standalone offline HTML page and returns the full path.</summary>
    public static string SaveHtml(PlotlyChart chart, string path, string? title = null)
    {
        var full = Path.GetFullPath(path);
        var page = ToStandaloneHtml(chart, title ?? Path.GetFileNameWithoutExtension(path));
        Results.ResultsStore.WriteAtomically(full, page);
        return full;
    }
}
