using System.Net;

namespace ScienceOfDL.Notebooks;

/// <summary>
/// A notebook's headline result in one line, computed by a cell from its own numbers. It shows as a highlighted line in
/// the notebook, and the site's index (tools/NotebookRunner/Site) lists it beside the notebook: the first element
/// with the class <see cref="CssClass"/> on a page is that page's finding.
/// <code>Finding.Of($"test accuracy reaches {acc:P0} at step {step}")</code> as a cell's last line, or inside
/// display(...).
/// </summary>
public static class Finding
{
    public const string CssClass = "sodl-finding";

    public static Html Of(string text) =>
        new($"<p class=\"{CssClass}\" style=\"font-weight:bold\">{WebUtility.HtmlEncode(text)}</p>");
}
