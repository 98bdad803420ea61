using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using ColorCode;
using Markdig;
using Markdig.Extensions.Mathematics;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using ScienceOfDL.Plots;

namespace ScienceOfDL.NotebookRunner.Site;

/// <summary>
/// Renders one executed notebook as a page: markdown through Markdig (math left for KaTeX in the browser, HTML
/// <c>&lt;details&gt;</c> blocks folded with their markdown rendered), C# cells highlighted by ColorCode and
/// collapsible, outputs as the notebook shows them, charts wrapped as numbered figures with their takeaway
/// (Figure.Caption) as caption, filling their column. The plotly.js copy that each notebook's setup cell inlines is
/// dropped: pages load the site's shared one.
/// <para>The finding first: the page opens with the title cell, then the notebook's "What you will see" block (the
/// markdown from a heading of that text to the end of its cell, wherever the cell is), holding a copy of the computed
/// finding (Finding.Of) and the headline chart (Figure.Headline()), moved there from its cell; then the contents.
/// The setup cell's outputs (installed packages, the machine's table) go to a closed block at the end.</para>
/// </summary>
public static class NotebookPageRenderer
{
    public static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder()
        .UseMathematics()
        .UsePipeTables()
        .UseAutoIdentifiers(Markdig.Extensions.AutoIdentifiers.AutoIdentifierOptions.GitHub)
        .UseAutoLinks()
        .UseEmphasisExtras()
        .Build();

    /// <summary>Writes class names (keyword, string, comment, number ...) that assets/site.css colours inside code
    /// cells; ColorCode's own stylesheet styles <c>body</c> and bare class names page-wide, so it is not
    /// used.</summary>
    static readonly HtmlClassFormatter CodeFormatter = new();

    /// <summary>The heading that starts a notebook's "What you will see" block: from it to the end of its markdown
    /// cell, the page shows it right after the title cell, with the finding and the headline chart.</summary>
    public const string WhatYouWillSee = "What you will see";

    /// <summary>The class of that block on the page.</summary>
    public const string WhatYouWillSeeClass = "what-you-will-see";

    static readonly Regex WhatYouWillSeeHeading = new(
        @"^ {0,3}#{1,6}[ \t]+" + WhatYouWillSee + @"\b.*$",
        RegexOptions.Multiline | RegexOptions.IgnoreCase
    );

    /// <param name="paths">rewrites this machine's paths in everything the page shows (none: left as they
    /// are)</param>
    public static NotebookPage Render(
        ExecutedNotebook notebook,
        IReadOnlyList<string> siteNotebooks,
        MachinePaths? paths = null
    )
    {
        var body = new StringBuilder();
        if (!notebook.Executed)
            body.Append("<p class=\"not-run\">No executed copy of this notebook was found, so this page shows it ")
                .Append("without outputs. Run <code>./run-notebooks.sh ")
                .Append(SiteLayout.Enc(notebook.Name))
                .Append("</code> and build the site again.</p>\n");
        var (cells, whatYouWillSee) = SplitWhatYouWillSee(notebook.Cells);
        var environment = new StringBuilder();
        var codeNo = 0;
        var isTitle = true;
        foreach (var cell in cells)
        {
            if (!cell.IsCode)
            {
                body.Append("<section class=\"md\">").Append(MarkdownHtml(cell.Source)).Append("</section>\n");
                if (isTitle)
                {
                    // Right below the title cell: the finding first, then the contents list.
                    if (whatYouWillSee is not null)
                        body.Append($"<section class=\"md {WhatYouWillSeeClass}\">")
                            .Append(MarkdownHtml(whatYouWillSee))
                            .Append("<div class=\"headline\"></div></section>\n");
                    body.Append("<nav class=\"toc\" id=\"contents\"></nav>\n");
                }
                isTitle = false;
                continue;
            }
            codeNo++;
            body.Append(CodeHtml(cell.Source, codeNo));
            var outputs = cell.Outputs.Where(o => !IsKernelChatter(o)).ToList();
            if (IsSetupCell(cell))
            {
                // Installed packages and the machine's table are a record of the run, not a result: to the end.
                foreach (var o in outputs.Where(o => o.Kind != CellOutputKind.Error))
                    environment.Append(OutputHtml(o));
                outputs = outputs.Where(o => o.Kind == CellOutputKind.Error).ToList();
            }
            if (outputs.Count == 0)
                continue;
            body.Append("<div class=\"outputs\">");
            foreach (var o in outputs)
                body.Append(OutputHtml(o));
            body.Append("</div>\n");
        }
        if (environment.Length > 0)
            body.Append("<details class=\"run-environment\" id=\"run-environment\"><summary>How this page was run: ")
                .Append("installed packages, versions and machine</summary><div class=\"outputs\">")
                .Append(environment)
                .Append("</div></details>\n");

        var index = siteNotebooks.ToList().IndexOf(notebook.Name);
        var nav = new StringBuilder("<a href=\"index.html\">Episode map</a>");
        if (index > 0)
            nav.Append($" · <a href=\"{siteNotebooks[index - 1]}.html\">← {siteNotebooks[index - 1]}</a>");
        if (index >= 0 && index + 1 < siteNotebooks.Count)
            nav.Append($" · <a href=\"{siteNotebooks[index + 1]}.html\">{siteNotebooks[index + 1]} →</a>");
        nav.Append(" <button type=\"button\" class=\"toggle-code\">Show all code</button>");

        var html = SiteLayout.Page(notebook.Name, nav.ToString(), body.ToString());
        var document = new HtmlParser().ParseDocument(paths?.Scrub(html) ?? html);
        DropInlinedPlotly(document);
        var headline = FindingFirst(document, notebook.Name);
        var charts = WrapCharts(document);
        NoteMovedChart(document, headline);
        var title = FixHeadings(document) ?? notebook.Name;
        document.Title = $"{title} — {SiteLayout.SiteName}";
        RewriteNotebookLinks(document, siteNotebooks);
        var mode = RunMode(document);
        AddRunNote(document, notebook, mode);
        return new NotebookPage(
            notebook.Name,
            title,
            Finding(document),
            mode,
            notebook.Executed,
            charts,
            document.QuerySelectorAll(".math").Length,
            SectionLinks(document),
            document
        );
    }

    /// <summary>The cells without the "What you will see" block, and the block's markdown (null if the notebook has
    /// none).</summary>
    static (List<NotebookCell> Cells, string? Block) SplitWhatYouWillSee(IReadOnlyList<NotebookCell> cells)
    {
        var list = cells.ToList();
        var at = list.FindIndex(c => !c.IsCode && WhatYouWillSeeHeading.IsMatch(c.Source));
        if (at < 0)
            return (list, null);
        var source = list[at].Source;
        var start = WhatYouWillSeeHeading.Match(source).Index;
        var rest = source[..start];
        if (rest.Trim().Length == 0)
            list.RemoveAt(at);
        else
            list[at] = list[at] with { Source = rest };
        return (list, source[start..]);
    }

    /// <summary>The cell that starts the notebook's session: its outputs are the run's packages and machine.</summary>
    static bool IsSetupCell(NotebookCell cell) =>
        cell.Source.Contains("NotebookSession.Start(", StringComparison.Ordinal);

    /// <summary>Fills the "What you will see" block: a copy of the page's finding, then the headline chart, moved
    /// there from its cell. Returns the moved chart, so its cell can say where it went.</summary>
    static IElement? FindingFirst(IDocument document, string notebook)
    {
        var headlines = document.QuerySelectorAll("[data-sodl-headline]").ToList();
        if (headlines.Count > 1)
            throw new InvalidOperationException(
                $"{notebook} marks {headlines.Count} charts as its headline chart (Figure.Headline()); one at most"
            );
        if (document.QuerySelector($".{WhatYouWillSeeClass} .headline") is not { } slot)
            return null;
        if (document.QuerySelector(".sodl-finding") is { } finding)
            slot.AppendChild(finding.Clone(deep: true));
        if (headlines.Count == 0)
            return null;
        var headline = headlines[0];
        var placeholder = document.CreateElement("p");
        placeholder.ClassName = "moved-chart";
        headline.Parent!.ReplaceChild(placeholder, headline);
        slot.AppendChild(headline);
        return headline;
    }

    /// <summary>Where the headline chart was drawn, a line that says where it is now.</summary>
    static void NoteMovedChart(IDocument document, IElement? headline)
    {
        if (
            headline?.QuerySelector("figure.sodl-chart") is not { } figure
            || document.QuerySelector("p.moved-chart") is not { } note
        )
            return;
        note.InnerHtml =
            $"This cell's chart is <a href=\"#{figure.Id}\">Figure "
            + $"{figure.Id!.Replace("fig-", "")}</a>, at the top of the page.";
    }

    /// <summary>Markdown to HTML. Markdig writes <c>$$...$$</c> within a paragraph as inline math; Jupyter shows it
    /// as a display formula, so it is marked <c>math-display</c> for site.js.</summary>
    internal static string MarkdownHtml(string source)
    {
        var document = Markdig.Markdown.Parse(DetailsMarkdown.Prepare(source, Markdown), Markdown);
        foreach (var math in document.Descendants<MathInline>().Where(m => m.DelimiterCount == 2))
            math.GetAttributes().AddClass("math-display");
        return document.ToHtml(Markdown);
    }

    static string CodeHtml(string source, int codeNo)
    {
        var lines = source.Split('\n');
        // The preview names what the cell does: its first line that is not a directive, a using or a comment.
        var preview = lines
            .Select(l => l.Trim())
            .FirstOrDefault(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith("using ") && !l.StartsWith("//"))
            ?? lines[0].Trim();
        if (preview.Length > 90)
            preview = preview[..87] + "...";
        var highlighted = CodeFormatter.GetHtmlString(source, Languages.CSharp);
        return $"<details class=\"code\" id=\"code-{codeNo}\"><summary><span class=\"lang\">C#</span> "
            + $"<code>{SiteLayout.Enc(preview)}</code> "
            + $"<span class=\"lines\">{lines.Length} line{(lines.Length == 1 ? "" : "s")}</span>"
            + $"</summary>{highlighted}</details>\n";
    }

    static string OutputHtml(CellOutput o) =>
        o.Kind switch
        {
            CellOutputKind.Html => $"<div class=\"output html\">{ChartHtml.Responsive(o.Content)}</div>",
            CellOutputKind.Error => $"<pre class=\"output error\">{SiteLayout.Enc(o.Content)}</pre>",
            _ => $"<pre class=\"output text\">{SiteLayout.Enc(o.Content.TrimEnd())}</pre>",
        };

    /// <summary>Package-restore and extension-loading messages of the kernel: progress, not results. The final
    /// "Installed Packages" list stays, since it names the versions the run used.</summary>
    static bool IsKernelChatter(CellOutput o) =>
        (o.Kind == CellOutputKind.Html && o.Content.Contains("<strong>Installing Packages</strong>"))
        || (o.Kind == CellOutputKind.Text && o.Content.StartsWith("Loading extensions from "));

    /// <summary>The setup cell inlines plotly.js (4.5 MB) so VS Code draws charts offline; pages share
    /// assets/plotly.min.js.</summary>
    static void DropInlinedPlotly(IDocument document)
    {
        foreach (var script in document.QuerySelectorAll("script").ToList())
            if (
                script.HasAttribute("data-sodl-plotly-loader")
                || script.TextContent.StartsWith("if(!window.Plotly){(function(define", StringComparison.Ordinal)
            )
                script.Remove();
    }

    static readonly Regex NewPlot = new(@"Plotly\.newPlot\(\s*['""](?<id>[^'""]+)['""]");
    static readonly Regex LayoutStart = new(@"var\s+layout\s*=\s*(?=\{)");

    /// <summary>Each chart's container becomes a numbered figure (<c>fig-N</c>) that the index, the browser test and
    /// the figure screenshots can find.</summary>
    static List<PageChart> WrapCharts(IDocument document)
    {
        var charts = new List<PageChart>();
        foreach (var script in document.QuerySelectorAll("script").ToList())
        {
            var m = NewPlot.Match(script.TextContent);
            if (!m.Success || document.GetElementById(m.Groups["id"].Value) is not { } container)
                continue;
            var title = ChartTitle(script.TextContent);
            var id = $"fig-{charts.Count + 1}";
            // A Figure's takeaway (Figure.Caption) sits beside its chart in the element that holds both.
            var takeaway =
                container.Parent is IElement holder && holder.ClassList.Contains("sodl-figure")
                    ? holder.Children.FirstOrDefault(c => c.ClassList.Contains("sodl-caption"))
                    : null;
            var figure = document.CreateElement("figure");
            figure.ClassName = "sodl-chart";
            figure.Id = id;
            figure.SetAttribute("data-title", title);
            container.Parent!.ReplaceChild(figure, container);
            figure.AppendChild(container);
            var caption = document.CreateElement("figcaption");
            var link = document.CreateElement("a");
            link.SetAttribute("href", "#" + id);
            link.TextContent = $"Figure {charts.Count + 1}{(takeaway is null ? "" : ".")}";
            caption.AppendChild(link);
            var captionText = takeaway?.TextContent.Trim();
            if (takeaway is not null)
            {
                caption.AppendChild(document.CreateTextNode(" " + captionText));
                takeaway.Remove();
            }
            figure.AppendChild(caption);
            charts.Add(new PageChart(id, title, captionText));
        }
        return charts;
    }

    /// <summary>The layout's title (XPlot writes <c>var layout = {...};</c>, the title a string or
    /// <c>{"text": ...}</c>).</summary>
    static string ChartTitle(string script)
    {
        var m = LayoutStart.Match(script);
        if (!m.Success)
            return "";
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(script[(m.Index + m.Length)..]));
            using var layout = JsonDocument.ParseValue(ref reader);
            if (!layout.RootElement.TryGetProperty("title", out var t))
                return "";
            if (t.ValueKind == JsonValueKind.Object && t.TryGetProperty("text", out var text))
                t = text;
            return t.ValueKind == JsonValueKind.String ? t.GetString() ?? "" : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    /// <summary>Markdig numbers heading ids per cell; a page holds many cells, so ids are made unique here, and the
    /// contents list is built from the level-2 and level-3 headings. Returns the page's title (its first h1).</summary>
    internal static string? FixHeadings(IDocument document)
    {
        var used = new HashSet<string>(document.QuerySelectorAll("[id]").Where(e => !IsHeading(e)).Select(e => e.Id!));
        var toc = new StringBuilder();
        string? title = null;
        foreach (var h in document.QuerySelectorAll("main h1, main h2, main h3, main h4, main h5, main h6"))
        {
            var id = string.IsNullOrEmpty(h.Id) ? "section" : h.Id!;
            var unique = id;
            for (var n = 1; !used.Add(unique); n++)
                unique = $"{id}-{n}";
            h.Id = unique;
            if (h.LocalName == "h1")
                title ??= h.TextContent.Trim();
            if (h.LocalName is "h2" or "h3")
                toc.Append($"<li class=\"{h.LocalName}\"><a href=\"#{unique}\">")
                    .Append(SiteLayout.Enc(h.TextContent.Trim()))
                    .Append("</a></li>");
        }
        if (document.GetElementById("contents") is not { } nav)
            return title;
        if (toc.Length == 0)
            nav.Remove();
        else
            nav.InnerHtml = $"<details open><summary>Contents</summary><ul>{toc}</ul></details>";
        return title;
    }

    static bool IsHeading(IElement e) => e.LocalName is "h1" or "h2" or "h3" or "h4" or "h5" or "h6";

    /// <summary>Notebooks link each other as <c>NN-name.ipynb</c>; on the site those are <c>NN-name.html</c>.</summary>
    internal static void RewriteNotebookLinks(IDocument document, IReadOnlyList<string> siteNotebooks)
    {
        foreach (var a in document.QuerySelectorAll("a[href]"))
        {
            var href = a.GetAttribute("href")!;
            var hash = href.IndexOf('#');
            var path = hash < 0 ? href : href[..hash];
            if (!path.EndsWith(".ipynb", StringComparison.Ordinal) || path.Contains(':'))
                continue;
            var name = Path.GetFileNameWithoutExtension(path);
            if (siteNotebooks.Contains(name))
                a.SetAttribute("href", name + ".html" + (hash < 0 ? "" : href[hash..]));
        }
    }

    /// <summary>The mode the setup cell reported (NotebookSession's table row "mode"): QUICK or full.</summary>
    static string? RunMode(IDocument document) =>
        document
            .QuerySelectorAll("td")
            .FirstOrDefault(td => td.TextContent.Trim() == "mode")
            ?.NextElementSibling?.TextContent.Trim()
            .Split(' ')[0];

    static void AddRunNote(IDocument document, ExecutedNotebook notebook, string? mode)
    {
        if (!notebook.Executed || document.QuerySelector("main h1") is not { } h1)
            return;
        var note = document.CreateElement("p");
        note.ClassName = "run-note";
        var when = notebook.RunAt is { } t ? $" on {t:yyyy-MM-dd}" : "";
        note.TextContent =
            mode == "QUICK"
                ? $"Executed in QUICK mode{when}: every experiment shrunk to run in minutes, so numbers differ from the "
                    + "full run."
                : $"Executed in {mode ?? "an unknown"} mode{when}.";
        h1.Parent!.InsertBefore(note, h1.NextSibling);
    }

    static string? Finding(IDocument document) =>
        document.QuerySelector(".sodl-finding") is { } f && f.TextContent.Trim() is { Length: > 0 } text ? text : null;

    /// <summary>Every absolute link, with the section it sits in; the episode map finds transcript citations
    /// here.</summary>
    static List<SectionLink> SectionLinks(IDocument document)
    {
        var links = new List<SectionLink>();
        string section = "";
        var level = 1;
        var selector = "main h1, main h2, main h3, main h4, main h5, main h6, main a[href]";
        foreach (var e in document.QuerySelectorAll(selector))
        {
            if (IsHeading(e))
            {
                section = e.Id!;
                level = e.LocalName[1] - '0';
                continue;
            }
            var href = e.GetAttribute("href")!;
            if (
                href.StartsWith("http://", StringComparison.Ordinal)
                || href.StartsWith("https://", StringComparison.Ordinal)
            )
                links.Add(new SectionLink(href, section, level));
        }
        return links;
    }
}
