extern alias runner;
using runner::ScienceOfDL.NotebookRunner.Site;
using Xunit.Abstractions;

namespace ScienceOfDL.Tests;

/// <summary>
/// The committed read-along site (site/, what readers open), held to issue 30's checks: on every notebook page 01-05
/// the finding comes before the first chart, at most 400 words before it, at most 2,500 words outside closed
/// <c>&lt;details&gt;</c>, at least one typeset formula, and no absolute machine path; and in a browser every page fits
/// a 400 px phone and a 1,400 px window without scrolling sideways, every chart drawn.
/// </summary>
public sealed class CommittedSiteTests(ITestOutputHelper output)
{
    static readonly string Site = Path.Combine(Repository.Root(), SiteBuilder.SiteFolder);

    static readonly string[] NotebookPages =
    [
        "01-ccs.html",
        "02-banana-shed.html",
        "03-ccs-as-pca.html",
        "04-circuit-efficiency.html",
        "05-ungrokking.html",
    ];

    [Fact]
    public void Every_notebook_page_tells_its_finding_first_briefly_with_typeset_math_and_no_machine_paths()
    {
        var pages = PageReading.CheckSite(Site, NotebookPages);
        foreach (var (facts, _) in pages)
            output.WriteLine(PageReading.Describe(facts));
        var problems = pages.SelectMany(p => p.Problems.Select(x => $"{p.Facts.Page}: {x}")).ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>Issue 30: a chart a reader understands has at most 8 series in its legend (bands and other
    /// legend-less traces do not count): more are grouped, faceted or highlighted instead.</summary>
    [Fact]
    public void Every_committed_chart_has_at_most_eight_series()
    {
        var crowded = new List<string>();
        var charts = 0;
        foreach (var page in Directory.GetFiles(Site, "*.html"))
        {
            var html = File.ReadAllText(page);
            foreach (System.Text.RegularExpressions.Match m in DataArray.Matches(html))
            {
                var traces = System.Text.Json.Nodes.JsonNode.Parse(m.Groups["data"].Value)!.AsArray();
                var shown = traces.Count(t => t?["showlegend"]?.GetValue<bool>() != false);
                charts++;
                if (shown > 8)
                    crowded.Add($"{Path.GetFileName(page)}: a chart with {shown} series");
            }
        }
        Assert.True(charts > 20, $"only {charts} charts found: the pattern no longer matches the pages");
        Assert.True(crowded.Count == 0, string.Join(Environment.NewLine, crowded));
    }

    static readonly System.Text.RegularExpressions.Regex DataArray = new(
        @"var data = (?<data>\[.*?\]);\s*\n",
        System.Text.RegularExpressions.RegexOptions.Singleline
    );

    /// <summary>No page of the committed site names a folder of the machine that built it (every page, the index and
    /// the guide included, not only 01-05).</summary>
    [Fact]
    public void No_committed_page_holds_an_absolute_machine_path()
    {
        var found = Directory
            .GetFiles(Site, "*.html")
            .SelectMany(p => MachinePaths.Find(File.ReadAllText(p)).Select(x => $"{Path.GetFileName(p)}: {x}"))
            .ToList();
        Assert.True(found.Count == 0, string.Join(Environment.NewLine, found));
    }

    /// <summary>The committed pages, built with the responsive builder, at a phone's and a desktop's width.</summary>
    [Fact]
    [Trait("Category", "Browser")]
    public async Task Every_committed_page_fits_a_phone_and_a_desktop_and_draws_every_chart()
    {
        var result = await SiteCheck.RunAsync(Site);
        output.WriteLine(result.Describe());
        Assert.True(result.Pages.Count >= NotebookPages.Length + 1, "the index and every notebook page");
        Assert.True(result.Pages.Sum(p => p.Charts) > 20, "the committed pages hold the collection's charts");
        Assert.True(result.Passed, string.Join(Environment.NewLine, result.Problems));
    }
}
