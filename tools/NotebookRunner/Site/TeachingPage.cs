using AngleSharp.Html.Parser;

namespace ScienceOfDL.NotebookRunner.Site;

/// <summary>
/// The teacher's guide, docs/teaching.md beside the notebooks folder, as a site page (teaching.html) that the index
/// links. Links to notebooks become links to their pages; a link to another file of the repository becomes its text,
/// since the site holds only pages.
/// </summary>
public static class TeachingPage
{
    public const string FileName = "teaching.html";

    /// <summary>The page's HTML, or null when the checkout has no guide.</summary>
    public static string? Render(string notebooksDir, IReadOnlyList<string> siteNotebooks, MachinePaths? paths = null)
    {
        var source = Path.Combine(notebooksDir, "..", "docs", "teaching.md");
        if (!File.Exists(source))
            return null;
        var body = $"<section class=\"md\">{NotebookPageRenderer.MarkdownHtml(File.ReadAllText(source))}</section>";
        var html = SiteLayout.Page("Teacher's guide", "<a href=\"index.html\">Episode map</a>", body);
        var document = new HtmlParser().ParseDocument(paths?.Scrub(html) ?? html);
        NotebookPageRenderer.RewriteNotebookLinks(document, siteNotebooks);
        foreach (var a in document.QuerySelectorAll("main a[href]").ToList())
        {
            var href = a.GetAttribute("href")!;
            var path = href.Split('#')[0];
            var sitePage = path.EndsWith(".html", StringComparison.Ordinal) && !path.Contains('/');
            if (href.StartsWith('#') || href.Contains(':') || sitePage)
                continue;
            a.Parent!.ReplaceChild(document.CreateTextNode(a.TextContent), a);
        }
        var title = NotebookPageRenderer.FixHeadings(document) ?? "Teacher's guide";
        document.Title = $"{title} — {SiteLayout.SiteName}";
        return "<!DOCTYPE html>\n" + document.DocumentElement.OuterHtml;
    }
}
