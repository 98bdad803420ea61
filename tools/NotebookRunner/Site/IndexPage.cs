using System.Text;
using static ScienceOfDL.NotebookRunner.Site.SiteLayout;

namespace ScienceOfDL.NotebookRunner.Site;

/// <summary>index.html: the episode map, each segment linked to the section that reads along with it, and each
/// notebook with its computed one-line finding.</summary>
public static class IndexPage
{
    /// <param name="teachingHref">the teacher's guide page, if the site has one</param>
    public static string Html(
        IReadOnlyList<NotebookPage> pages,
        IReadOnlyList<EpisodeSegment> map,
        string? teachingHref = null
    )
    {
        var body = new StringBuilder();
        body.Append("<h1 id=\"top\">Science of Deep Learning: AXRP episode 29, run</h1>\n");
        var transcript = map.Select(s => s.TranscriptHref.Split('#')[0]).FirstOrDefault();
        var episode = transcript is null ? "AXRP episode 29" : $"<a href=\"{Enc(transcript)}\">AXRP episode 29</a>";
        body.Append(
            $"<p>Notebooks in C# that run the experiments discussed in {episode}, \"Science of Deep Learning "
                + "with Vikrant Varma\": contrast-consistent search (CCS) on a real language model, and grokking "
                + "explained by circuit efficiency. Each page is a notebook as ./run-notebooks.sh executed it: its "
                + "numbers and charts come from that run."
        );
        if (pages.Count > 0)
            body.Append($" New here? Start with <a href=\"{pages[0].FileName}\">{Enc(pages[0].Title)}</a>.");
        body.Append("</p>\n");
        if (teachingHref is not null)
            body.Append(
                $"<p class=\"teaching\">Teaching with these notebooks? <a href=\"{Enc(teachingHref)}\">The "
                    + "teacher's guide</a> has a 90-minute plan, discussion questions and each exercise's expected "
                    + "outcome.</p>\n"
            );
        body.Append(RunNote(pages));

        if (map.Count > 0)
        {
            body.Append("<h2 id=\"episode-map\">The episode map</h2>\n")
                .Append(
                    "<p>Each time links to the notebook section that "
                        + "reads along with that segment; the last column opens the transcript there.</p>\n"
                );
            body.Append(
                "<table class=\"episode-map\"><thead><tr><th>time</th><th>segment</th><th>read along in</th>"
                    + "<th>transcript</th></tr></thead><tbody>\n"
            );
            foreach (var s in map)
                body.Append(Row(s));
            body.Append("</tbody></table>\n");
        }

        body.Append("<h2 id=\"notebooks\">The notebooks and what they found</h2>\n<ul class=\"notebooks\">\n");
        foreach (var p in pages)
        {
            body.Append($"<li><a href=\"{p.FileName}\">{Enc(p.Title)}</a>");
            if (p.Finding is not null)
                body.Append($"<p class=\"finding\">{Enc(p.Finding)}</p>");
            if (!p.Executed)
                body.Append("<p class=\"not-run\">not executed in this build</p>");
            body.Append("</li>\n");
        }
        body.Append("</ul>\n");
        return Page(SiteName, "<a href=\"index.html\">Episode map</a>", body.ToString());
    }

    static string Row(EpisodeSegment s)
    {
        string Linked(string text) => s.PageHref is null ? Enc(text) : $"<a href=\"{s.PageHref}\">{Enc(text)}</a>";
        var where = s.Page is null
            ? Enc(s.Note)
            : $"<a href=\"{s.Page.FileName}\">{Enc(s.Page.Title)}</a>"
                + (s.SectionTitle is null ? "" : $" › {Linked(s.SectionTitle)}")
                + (s.Note.Length == 0 ? "" : $" <span class=\"note\">({Enc(s.Note)})</span>");
        return $"<tr><td class=\"time\">{Linked(s.Time)}</td><td>{Linked(s.Title)}</td><td>{where}</td>"
            + $"<td><a href=\"{Enc(s.TranscriptHref)}\">transcript ↗</a></td></tr>\n";
    }

    static string RunNote(IReadOnlyList<NotebookPage> pages)
    {
        var executed = pages.Where(p => p.Executed).ToList();
        var modes = executed.Select(p => p.Mode ?? "unknown").Distinct().ToList();
        if (modes.Count == 0)
            return "";
        var text =
            modes.Count > 1
                ? "This build mixes runs: "
                    + string.Join(", ", executed.Select(p => $"{p.Name} ({p.Mode ?? "unknown"})"))
                    + "."
            : modes[0] == "QUICK"
                ? "This build comes from a QUICK-mode run: every experiment was shrunk to run in minutes, so the "
                    + "numbers are smaller-scale than the full run's."
            : $"This build comes from a {modes[0]}-mode run.";
        return $"<p class=\"run-note\">{Enc(text)}</p>\n";
    }
}
