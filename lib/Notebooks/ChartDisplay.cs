using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive.Formatting;
using ScienceOfDL.Plots;
using XPlot.Plotly;

namespace ScienceOfDL.Notebooks;

/// <summary>
/// Renders XPlot charts inline (VS Code, Jupyter) without a CDN: plotly.js is loaded once per session by
/// <see cref="LoaderHtml"/>, and each chart waits for it. When the headless runner sets <c>SODL_ARTIFACTS_DIR</c>,
/// each displayed chart is also saved there as an offline HTML page.
/// </summary>
public static class ChartDisplay
{
    static int _saved;
    static bool _registered;

    public static void Register()
    {
        if (_registered)
            return;
        _registered = true;
        Formatter.Register<PlotlyChart>(Write, HtmlFormatter.MimeType);
        Formatter.Register<Figure>((figure, writer) => writer.Write(FigureHtml(figure)), HtmlFormatter.MimeType);
    }

    /// <summary>The class of the element that holds a displayed <see cref="Figure"/>: its chart, its caption
    /// (<see cref="CaptionClass"/>) and any overrides note. The site builder reads these.</summary>
    public const string FigureClass = "sodl-figure";
    public const string CaptionClass = "sodl-caption";

    /// <summary>The attribute that marks the notebook's headline chart (<see cref="Figure.Headline"/>).</summary>
    public const string HeadlineAttribute = "data-sodl-headline";

    /// <summary>A displayed chart: saved as an artifact when the runner asks, drawn inline, overrides noted.</summary>
    static void Write(PlotlyChart chart, TextWriter writer)
    {
        SaveArtifact(chart, "");
        writer.Write(InlineHtml(chart) + OverridesNote());
    }

    /// <summary>A displayed figure: its chart, then its caption, in one element that says whether it is the
    /// notebook's headline chart.</summary>
    public static string FigureHtml(Figure figure)
    {
        var chart = figure.ToPlotly();
        var caption = figure.CaptionText is { Length: > 0 } text
            ? $"<p class=\"{CaptionClass}\" style=\"font-style:italic\">{System.Net.WebUtility.HtmlEncode(text)}</p>"
            : "";
        SaveArtifact(chart, caption);
        return $"<div class=\"{FigureClass}\"{(figure.IsHeadline ? " " + HeadlineAttribute : "")}>"
            + InlineHtml(chart)
            + caption
            + OverridesNote()
            + "</div>";
    }

    /// <summary>plotly.js wrapped so it sets window.Plotly even where require.js defines <c>define</c> (classic
    /// Jupyter). The attribute lets the site builder drop this copy: its pages share one plotly.js.</summary>
    public static string LoaderHtml() =>
        "<script data-sodl-plotly-loader>if(!window.Plotly){(function(define,exports,module){"
        + Charts.PlotlyJs
        + "\n})(undefined,undefined,undefined);}</script>";

    /// <summary>The chart's div plus a script that draws it as soon as plotly.js is there, as wide as its
    /// cell.</summary>
    public static string InlineHtml(PlotlyChart chart)
    {
        var html = ChartHtml.Responsive(chart.GetInlineHtml());
        var m = Regex.Match(html, @"^(?<div>.*?)<script[^>]*>(?<js>.*)</script>\s*$", RegexOptions.Singleline);
        if (!m.Success)
            return html;
        return m.Groups["div"].Value
            + "<script>(function draw(){if(!window.Plotly){setTimeout(draw,50);return;}"
            + m.Groups["js"].Value
            + "})();</script>";
    }

    /// <summary>Under a chart drawn with overridden parameters, which ones: a chart never passes for the notebook's
    /// own.</summary>
    static string OverridesNote() =>
        NotebookSession.Overrides.Count == 0
            ? ""
            : "<p class=\"sodl-overrides\">parameters overridden: "
                + System.Net.WebUtility.HtmlEncode(string.Join("; ", NotebookSession.Overrides))
                + "</p>";

    static void SaveArtifact(PlotlyChart chart, string caption)
    {
        var dir = Environment.GetEnvironmentVariable("SODL_ARTIFACTS_DIR");
        if (string.IsNullOrEmpty(dir))
            return;
        var title = Regex
            .Match(chart.GetInlineHtml(), "\"title\"\\s*:\\s*(\\{\\s*\"text\"\\s*:\\s*)?\"(?<t>[^\"]+)\"")
            .Groups["t"]
            .Value;
        var slug = Regex.Replace(title.ToLowerInvariant(), "[^a-z0-9]+", "-").Trim('-');
        if (slug.Length > 60)
            slug = slug[..60];
        var n = Interlocked.Increment(ref _saved);
        // The runner sets SODL_PLOTLY_SRC to the site's shared plotly.js, so saved pages hold only the chart's data.
        Charts.SaveHtml(
            chart,
            Path.Combine(dir, $"chart-{n:00}{(slug.Length > 0 ? "-" + slug : "")}.html"),
            title,
            Environment.GetEnvironmentVariable("SODL_PLOTLY_SRC"),
            caption + OverridesNote()
        );
    }
}
