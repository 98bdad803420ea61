using System.Net;

namespace ScienceOfDL.Notebooks;

/// <summary><c>display(rows.WithCaption("..."))</c>: the same table as <c>display(rows)</c>, with a caption;
/// <c>display(rows.Folded("..."))</c>: the table inside a closed <c>&lt;details&gt;</c> block whose summary line is
/// the text given, for detail a reader opens only if they want it (the site counts it as folded away).</summary>
public static class TableExtensions
{
    public static Html WithCaption<T>(this IEnumerable<T> rows, string caption, int digits = 3) =>
        HtmlTable.Of(rows, caption, digits);

    public static Html Folded<T>(this IEnumerable<T> rows, string summary, int digits = 3) =>
        Folded(HtmlTable.Of(rows, null, digits), summary);

    /// <summary>Any HTML output (a table, a chart's markup) folded under a one-line summary.</summary>
    public static Html Folded(this Html content, string summary) =>
        new($"<details><summary>{WebUtility.HtmlEncode(summary)}</summary>{content.Markup}</details>");
}
