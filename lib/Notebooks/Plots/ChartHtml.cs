using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ScienceOfDL.Plots;

/// <summary>
/// Makes a chart's inline HTML (XPlot's <c>&lt;div id style="width: Wpx; height: Hpx"&gt;</c> plus a
/// <c>Plotly.newPlot</c> script) fit whatever holds it: the div takes the full width of its column, a width the
/// layout asked for becomes only its maximum, and plotly is told to autosize and follow resizes. XPlot's template
/// fixes the div's width in pixels, so this rewrites its output. Dependency-free: the site builder links this file to
/// do the same to charts of notebooks executed before.
/// </summary>
public static class ChartHtml
{
    static readonly Regex Div = new(@"<div id=""(?<id>[^""]+)"" style=""width: \d+px; height: (?<h>\d+)px;""></div>");
    static readonly Regex LayoutStart = new(@"var\s+layout\s*=\s*(?=\{)");
    static readonly Regex NewPlotCall = new(
        @"Plotly\.newPlot\((?<args>\s*['""][^'""]+['""]\s*,\s*data\s*,\s*layout)\)"
    );

    /// <summary>Every chart in <paramref name="html"/> made responsive (see the class). Idempotent, and HTML without
    /// a chart comes back unchanged.</summary>
    public static string Responsive(string html)
    {
        if (!html.Contains("Plotly.newPlot(", StringComparison.Ordinal))
            return html;
        var maxWidths = new Dictionary<string, double>();
        var result = html;
        // Each layout: its width (if any) is remembered for the div of the newPlot call that follows it.
        var builder = new System.Text.StringBuilder();
        var at = 0;
        foreach (Match m in LayoutStart.Matches(result))
        {
            var start = m.Index + m.Length;
            if (start < at)
                continue;
            var (json, length) = ReadObject(result, start);
            if (json is null)
                continue;
            if (json["width"] is JsonValue w && w.TryGetValue<double>(out var width) && width > 0)
            {
                var id = NewPlotCall.Match(result, start + length) is { Success: true } call
                    ? Regex.Match(call.Groups["args"].Value, @"['""](?<id>[^'""]+)['""]").Groups["id"].Value
                    : null;
                if (id is not null)
                    maxWidths[id] = width;
            }
            json.Remove("width");
            json["autosize"] = true;
            builder.Append(result, at, start - at).Append(json.ToJsonString());
            at = start + length;
        }
        result = builder.Append(result, at, result.Length - at).ToString();
        result = NewPlotCall.Replace(result, m => $"Plotly.newPlot({m.Groups["args"].Value}, {{\"responsive\":true}})");
        return Div.Replace(result, m =>
        {
            var id = m.Groups["id"].Value;
            var max = maxWidths.TryGetValue(id, out var w) ? $" max-width: {w:0}px;" : "";
            return $"<div id=\"{id}\" style=\"width: 100%;{max} height: {m.Groups["h"].Value}px;\"></div>";
        });
    }

    /// <summary>The JSON object that starts at <paramref name="start"/>, and how many characters it spans.</summary>
    static (JsonObject? Json, int Length) ReadObject(string text, int start)
    {
        try
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(text[start..]);
            var reader = new Utf8JsonReader(bytes);
            var node = JsonNode.Parse(ref reader) as JsonObject;
            var length = System.Text.Encoding.UTF8.GetCharCount(bytes, 0, (int)reader.BytesConsumed);
            return (node, length);
        }
        catch (JsonException)
        {
            return (null, 0);
        }
    }
}
