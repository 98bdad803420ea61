using AngleSharp.Html.Dom;

namespace ScienceOfDL.NotebookRunner.Site;

/// <summary>A link found on a page, with the heading of the section it sits in (level 1 = the page's title).</summary>
public sealed record SectionLink(string Href, string SectionId, int SectionLevel);

/// <summary>A chart on a page: its figure's id (the anchor), the chart's own title, and its takeaway caption if it
/// has one (Figure.Caption).</summary>
public sealed record PageChart(string Id, string Title, string? Caption = null);

/// <summary>One notebook rendered as a site page, with what the index needs to know about it.</summary>
public sealed record NotebookPage(
    string Name,
    string Title,
    string? Finding,
    string? Mode,
    bool Executed,
    IReadOnlyList<PageChart> Charts,
    int MathCount,
    IReadOnlyList<SectionLink> Links,
    IHtmlDocument Document
)
{
    public string FileName => Name + ".html";

    /// <summary>The one-line result for the index: the notebook's computed finding, or its title until it has
    /// one.</summary>
    public string Headline => Finding ?? Title;

    public string ToHtml() => "<!DOCTYPE html>\n" + Document.DocumentElement.OuterHtml;
}
