using System.Net;
using System.Text;

namespace ScienceOfDL.Notebooks;

/// <summary>Lines of the library's own source, with their line numbers in <see cref="File"/> (relative to lib/).
/// Several members give several runs of consecutive lines.</summary>
public sealed record SourceCode(string File, IReadOnlyList<(int Number, string Text)> Lines)
{
    /// <summary>The lines as they stand in the file (runs separated by a blank line).</summary>
    public string Text => string.Join("\n\n", Runs().Select(r => string.Join("\n", r.Select(l => l.Text))));

    public override string ToString() => Text;

    /// <summary>Each run as a code block under its file name and line range.</summary>
    public string ToHtml()
    {
        var html = new StringBuilder();
        foreach (var run in Runs())
        {
            html.Append(
                $"<div style=\"font-size:smaller;opacity:0.7\">lib/{WebUtility.HtmlEncode(File)}, "
                    + $"lines {run[0].Number}–{run[^1].Number}</div>"
            );
            html.Append("<pre style=\"margin-top:0\"><code class=\"language-csharp\">");
            html.Append(WebUtility.HtmlEncode(string.Join("\n", run.Select(l => l.Text))));
            html.Append("</code></pre>");
        }
        return html.ToString();
    }

    List<List<(int Number, string Text)>> Runs()
    {
        var runs = new List<List<(int, string)>>();
        foreach (var line in Lines)
        {
            if (runs.Count == 0 || runs[^1][^1].Item1 + 1 != line.Number)
                runs.Add([]);
            runs[^1].Add(line);
        }
        return runs;
    }
}
