using System.Text.RegularExpressions;

namespace ScienceOfDL.NotebookRunner.Site;

/// <summary>One row of the episode map, resolved to the page section that reads along with it.</summary>
public sealed record EpisodeSegment(
    string Time,
    string Title,
    string TranscriptHref,
    NotebookPage? Page,
    string Note,
    string? SectionId,
    string? SectionTitle
)
{
    public string? PageHref => Page is null ? null : Page.FileName + (SectionId is null ? "" : "#" + SectionId);
}

/// <summary>
/// The episode map: the segments (time, title, transcript link, notebook) come from the one table that notebook 00
/// keeps; where each segment is read along comes from the notebooks' own text, the first section below a notebook's
/// title that cites that segment's transcript anchor. A segment that no section cites links to its notebook's top.
/// </summary>
public static class EpisodeMap
{
    public static List<EpisodeSegment> Build(IReadOnlyList<NotebookPage> pages)
    {
        var table = pages
            .SelectMany(p => p.Document.QuerySelectorAll("main table"))
            .FirstOrDefault(t => t.QuerySelector("th")?.TextContent.Trim() == "time");
        if (table is null)
            return [];
        var segments = new List<EpisodeSegment>();
        foreach (var row in table.QuerySelectorAll("tbody tr"))
        {
            var cells = row.QuerySelectorAll("td");
            if (cells.Length < 3 || cells[0].QuerySelector("a[href]") is not { } timeLink)
                continue;
            var transcript = timeLink.GetAttribute("href")!;
            var notebookCell = cells[2];
            var page = NotebookOf(notebookCell, pages);
            var note = Regex.Match(notebookCell.TextContent, @"\((?<n>[^)]*)\)").Groups["n"].Value;
            var (section, sectionTitle) = Section(transcript, page, pages);
            if (section.Page is not null)
                page = section.Page;
            segments.Add(
                new EpisodeSegment(
                    timeLink.TextContent.Trim(),
                    cells[1].TextContent.Trim(),
                    transcript,
                    page,
                    note,
                    section.Id,
                    sectionTitle
                )
            );
        }
        return segments;
    }

    /// <summary>The notebook a row names: a link to its page, or its number ("02 (closing section)").</summary>
    static NotebookPage? NotebookOf(AngleSharp.Dom.IElement cell, IReadOnlyList<NotebookPage> pages)
    {
        if (cell.QuerySelector("a[href]")?.GetAttribute("href") is { } href)
            return pages.FirstOrDefault(p => p.FileName == href.Split('#')[0]);
        var number = Regex.Match(cell.TextContent.Trim(), @"^\d+").Value;
        return number.Length == 0
            ? null
            : pages.FirstOrDefault(p => p.Name.StartsWith(number + "-", StringComparison.Ordinal));
    }

    /// <summary>The first section (below a page title) that cites <paramref name="transcript"/>, preferring the
    /// row's own notebook; else a page whose title section cites it; else nothing.</summary>
    static ((NotebookPage? Page, string? Id), string?) Section(
        string transcript,
        NotebookPage? preferred,
        IReadOnlyList<NotebookPage> pages
    )
    {
        var order = preferred is null
            ? pages
            : pages.Where(p => p == preferred).Concat(pages.Where(p => p != preferred));
        var citing = order
            .Where(p => p != pages[0] || preferred == pages[0]) // the map's own table cites every segment
            .SelectMany(p => p.Links.Where(l => l.Href == transcript).Select(l => (Page: p, Link: l)))
            .ToList();
        if (citing.FirstOrDefault(c => c.Link.SectionLevel > 1) is { Page: not null } inSection)
        {
            var heading = inSection.Page.Document.GetElementById(inSection.Link.SectionId);
            return ((inSection.Page, inSection.Link.SectionId), heading?.TextContent.Trim());
        }
        if (citing.FirstOrDefault() is { Page: not null } inTitle)
            return ((inTitle.Page, null), null);
        return ((null, null), null);
    }
}
