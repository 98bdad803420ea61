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

    /// <summary>Enable (delete the Skip argument) once pages 01-05 are retold and the site is rebuilt.</summary>
    [Fact(Skip = "until the pages are retold (issue 30)")]
    public void Every_notebook_page_tells_its_finding_first_briefly_with_typeset_math_and_no_machine_paths()
    {
        var pages = PageReading.CheckSite(Site, NotebookPages);
        foreach (var (facts, _) in pages)
            output.WriteLine(PageReading.Describe(facts));
        var problems = pages.SelectMany(p => p.Problems.Select(x => $"{p.Facts.Page}: {x}")).ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

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
