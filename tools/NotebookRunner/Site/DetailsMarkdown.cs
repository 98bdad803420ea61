using System.Text;
using System.Text.RegularExpressions;
using Markdig;

namespace ScienceOfDL.NotebookRunner.Site;

/// <summary>
/// Folded detail in a notebook's markdown: an HTML <c>&lt;details&gt;&lt;summary&gt;…&lt;/summary&gt; …
/// &lt;/details&gt;</c> block with markdown inside. CommonMark (Markdig, and VS Code's renderer) treats everything up
/// to the next blank line after an HTML tag as raw HTML, so markdown right after <c>&lt;/summary&gt;</c> or right
/// before <c>&lt;/details&gt;</c> would show unrendered. <see cref="Prepare"/> puts each tag on a line of its own
/// between blank lines and renders the summary's own markdown, so both forms read the same:
/// <code>
/// &lt;details&gt;&lt;summary&gt;Why 10 restarts&lt;/summary&gt;
/// Burns et al. keep the **lowest-loss** restart, $k = 10$.
/// &lt;/details&gt;
/// </code>
/// Only tags that start a line (or a closing tag that ends one) count; code fences are left alone.
/// </summary>
public static class DetailsMarkdown
{
    static readonly Regex Fence = new(@"^ {0,3}(```|~~~)");
    static readonly Regex Tag = new(
        @"<details(?:\s[^>]*)?>|<summary>.*?</summary>|</details>",
        RegexOptions.IgnoreCase
    );
    static readonly Regex Starts = new(@"^ {0,3}(<details(\s[^>]*)?>|<summary>|</details>)", RegexOptions.IgnoreCase);
    static readonly Regex Ends = new(@"</details>\s*$", RegexOptions.IgnoreCase);
    static readonly Regex Summary = new(@"^<summary>(?<s>.*)</summary>$", RegexOptions.IgnoreCase);

    public static string Prepare(string markdown, MarkdownPipeline pipeline)
    {
        if (!markdown.Contains("<details", StringComparison.OrdinalIgnoreCase))
            return markdown;
        var output = new StringBuilder();
        string? fence = null;
        foreach (var line in markdown.Split('\n'))
        {
            if (Fence.Match(line) is { Success: true } f)
            {
                fence =
                    fence is null ? f.Groups[1].Value
                    : fence == f.Groups[1].Value ? null
                    : fence;
                output.Append(line).Append('\n');
                continue;
            }
            if (fence is not null || !(Starts.IsMatch(line) || Ends.IsMatch(line)))
            {
                output.Append(line).Append('\n');
                continue;
            }
            // The line's tags and the text between them, each a block of its own.
            var at = 0;
            foreach (Match tag in Tag.Matches(line))
            {
                Block(output, line[at..tag.Index]);
                Block(
                    output,
                    Summary.Match(tag.Value) is { Success: true } s
                        ? "<summary>" + Inline(s.Groups["s"].Value, pipeline) + "</summary>"
                        : tag.Value
                );
                at = tag.Index + tag.Length;
            }
            Block(output, line[at..]);
        }
        return output.ToString().TrimEnd('\n') + "\n";
    }

    static void Block(StringBuilder output, string text)
    {
        if (text.Trim().Length == 0)
            return;
        output.Append('\n').Append(text.Trim()).Append("\n\n");
    }

    /// <summary>A summary's markdown as inline HTML (Markdig wraps it in a paragraph).</summary>
    static string Inline(string markdown, MarkdownPipeline pipeline)
    {
        var html = Markdown.ToHtml(markdown, pipeline).Trim();
        return html.StartsWith("<p>", StringComparison.Ordinal) && html.EndsWith("</p>", StringComparison.Ordinal)
            ? html[3..^4]
            : html;
    }
}
