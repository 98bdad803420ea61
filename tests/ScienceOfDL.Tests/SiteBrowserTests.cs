extern alias runner;
using runner::ScienceOfDL.NotebookRunner.Site;
using Xunit.Abstractions;

namespace ScienceOfDL.Tests;

/// <summary>
/// The browser check itself, in headless Chromium: it passes the fixture site, and it fails each kind of broken page
/// (so the QUICK-run site test below cannot pass by checking nothing).
/// </summary>
[Trait("Category", "Browser")]
public sealed class SiteBrowserTests(ITestOutputHelper output) : IDisposable
{
    readonly string _dir = SiteFixture.TempDir();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Passes_the_fixture_site_and_fails_each_broken_page()
    {
        var site = SiteFixture.Build(_dir);
        var demo = File.ReadAllText(Path.Combine(site.Folder, "01-demo.html"));
        var chartId = "c0ffee00-0000-4000-8000-000000000001";
        void Broken(string name, string html)
        {
            Assert.NotEqual(demo, html); // each mutation must change the page
            File.WriteAllText(Path.Combine(site.Folder, $"broken-{name}.html"), html);
        }
        Broken(
            "chart",
            demo.Replace(
                $"Plotly.newPlot('{chartId}', data, layout, {{\"responsive\":true}});",
                "/* the plot call is gone */"
            )
        );
        Broken(
            "wide-table",
            demo.Replace("</main>", $"<pre style=\"white-space: pre\">{new string('x', 300)}</pre></main>")
        );
        Broken(
            "fixed-chart",
            demo.Replace("width: 100%; height: 420px;", "width: 760px; height: 420px;")
                .Replace("\"autosize\":true", "\"width\":760")
        );
        Broken(
            "unwrapped-chart",
            demo.Replace(
                "</main>",
                "<div id=\"extra\"></div><script>Plotly.newPlot('extra', [{\"y\":[1,2]}], {});</script></main>"
            )
        );
        Broken("plotly-missing", demo.Replace("assets/plotly.min.js", "assets/no-plotly.js"));
        Broken("math", demo.Replace(@"\(\alpha\)", @"\(\frac{1}{\)"));
        Broken("anchor", demo.Replace("</main>", "<a href=\"#no-such-section\">x</a></main>"));
        Broken("page-link", demo.Replace("</main>", "<a href=\"no-such-page.html\">x</a></main>"));
        Broken("other-anchor", demo.Replace("</main>", "<a href=\"00-start-here.html#no-such-heading\">x</a></main>"));
        Broken("exception", demo.Replace("</main>", "<script>throw new Error('boom');</script></main>"));
        Broken("console", demo.Replace("</main>", "<script>console.error('something is wrong');</script></main>"));

        // Broken pages make the check wait for charts that never draw; the fixture needs a few seconds at most.
        var result = await SiteCheck.RunAsync(site.Folder, drawTimeout: TimeSpan.FromSeconds(8));
        output.WriteLine(result.Describe());
        PageCheck Page(string name) => result.Pages.Single(p => p.Page == name);
        void Fails(string name, string problem) =>
            Assert.Contains(Page($"broken-{name}.html").Problems, p => p.Contains(problem, StringComparison.Ordinal));

        foreach (
            var good in new[] { "index.html", "00-start-here.html", "01-demo.html", "02-unrun.html", "teaching.html" }
        )
            Assert.Empty(Page(good).Problems);
        Assert.Equal((2, 2), (Page("01-demo.html").Charts, Page("01-demo.html").ChartsDrawn));
        Assert.Equal((3, 3), (Page("00-start-here.html").Math, Page("00-start-here.html").MathTypeset));
        Assert.Equal((2, 2), (Page("01-demo.html").Math, Page("01-demo.html").MathTypeset));
        Assert.True(Page("index.html").InternalLinks >= 5, "the index links every page and the map's sections");

        Fails("chart", $"chart fig-1 has no drawn plot");
        Fails("unwrapped-chart", "3 Plotly.newPlot calls in the page but 2 chart containers");
        Fails("plotly-missing", "failed to load");
        Fails("plotly-missing", "chart fig-1 has no drawn plot");
        Fails("math", "KaTeX error");
        Fails("anchor", "link to a missing anchor: broken-anchor.html#no-such-section");
        Fails("page-link", "link to a missing file: no-such-page.html");
        Fails("other-anchor", "link to a missing anchor: 00-start-here.html#no-such-heading");
        Fails("exception", "uncaught error");
        Fails("console", "console error: something is wrong");
        Fails("wide-table", "at 400 px: the page scrolls sideways");
        Fails("wide-table", "sticking out: pre)");
        Fails("wide-table", "at 1400 px: the page scrolls sideways");
        Fails("fixed-chart", "at 400 px: chart fig-1 (760 px in ");
        Assert.DoesNotContain(Page("broken-fixed-chart.html").Problems, p => p.StartsWith("at 1400 px"));
    }

    /// <summary>On a phone a busy chart's legend goes under the plot and its long title wraps; on a desktop the
    /// notebook's own layout comes back.</summary>
    [Fact]
    public async Task Charts_fit_a_phone_with_the_legend_below_and_the_title_wrapped_and_come_back_when_wide()
    {
        var site = SiteFixture.Build(_dir);
        await using var browser = await Chromium.LaunchAsync();
        await using var page = await browser.NewPageAsync();
        const string layout = """
            () => { const gd = document.querySelector('#fig-2 .js-plotly-plot'), l = gd._fullLayout;
                    return { fit: document.getElementById('fig-2').dataset.fit || '', orientation: l.legend.orientation,
                             title: l.title.text, svg: gd.querySelector('.main-svg').getBoundingClientRect().width,
                             column: gd.clientWidth }; }
            """;
        async Task<ChartLayout> At(int width)
        {
            await page.SetViewportAsync(new PuppeteerSharp.ViewPortOptions { Width = width, Height = 900 });
            var mode = width < 600 ? "narrow" : "wide";
            // Fitted, and drawn across its whole column.
            await page.WaitForFunctionAsync(
                $"() => document.getElementById('fig-2').dataset.fit === '{mode}' && "
                    + "Math.abs(document.querySelector('#fig-2 .main-svg').getBoundingClientRect().width - "
                    + "document.querySelector('#fig-2 .js-plotly-plot').clientWidth) <= 1",
                new PuppeteerSharp.WaitForFunctionOptions { Timeout = 20_000, PollingInterval = 100 }
            );
            return await page.EvaluateFunctionAsync<ChartLayout>(layout);
        }
        await page.SetViewportAsync(new PuppeteerSharp.ViewPortOptions { Width = 400, Height = 900 });
        await page.GoToAsync(new Uri(Path.Combine(site.Folder, "01-demo.html")).AbsoluteUri);
        var phone = await At(400);
        output.WriteLine(phone.ToString());
        Assert.Equal("h", phone.Orientation);
        Assert.Contains("<br>", phone.Title);
        Assert.True(phone.Svg <= phone.Column + 1 && phone.Column < 400, phone.ToString());
        var desktop = await At(1400);
        output.WriteLine(desktop.ToString());
        Assert.Equal("v", desktop.Orientation);
        Assert.Equal(
            "Ten seeds of the demo, drawn the old way with a title far too long for a phone's screen",
            desktop.Title
        );
        Assert.Equal(760, desktop.Svg, 1.0); // the width the notebook asked for is now its widest
    }

    sealed record ChartLayout(
        [property: System.Text.Json.Serialization.JsonPropertyName("fit")] string Fit,
        [property: System.Text.Json.Serialization.JsonPropertyName("orientation")] string Orientation,
        [property: System.Text.Json.Serialization.JsonPropertyName("title")] string Title,
        [property: System.Text.Json.Serialization.JsonPropertyName("svg")] double Svg,
        [property: System.Text.Json.Serialization.JsonPropertyName("column")] double Column
    );
}

/// <summary>The site built from the QUICK runs of every notebook, opened page by page in headless Chromium.</summary>
[Trait("Category", "Notebook")]
[Collection(QuickNotebookRunsCollection.Name)]
public sealed class SiteQuickRunTests(ITestOutputHelper output, QuickNotebookRuns runs)
{
    [Fact]
    public async Task The_site_from_the_quick_runs_draws_every_chart_typesets_all_math_and_has_no_broken_link()
    {
        runs.RunAll();
        var site = SiteBuilder.Build(
            Path.Combine(QuickNotebookRuns.Root, "notebooks"),
            QuickNotebookRuns.ArtifactsRoot,
            Path.Combine(QuickNotebookRuns.ArtifactsRoot, SiteBuilder.SiteFolder)
        );
        output.WriteLine(site.Describe());
        var result = await SiteCheck.RunAsync(site.Folder);
        output.WriteLine(result.Describe());

        Assert.All(site.Pages, p => Assert.True(p.Executed, $"{p.Name} has no executed copy"));
        // index + one page per notebook + the teacher's guide
        Assert.Equal(QuickNotebookRuns.Names.Count + 2, result.Pages.Count);
        Assert.True(result.Passed, string.Join(Environment.NewLine, result.Problems));
        // Not vacuous: every chart the notebooks saved is on a page, drawn; there is math, and there are links.
        var saved = QuickNotebookRuns
            .Names.Select(n => Path.Combine(QuickNotebookRuns.ArtifactsRoot, n, "charts"))
            .Sum(dir => Directory.Exists(dir) ? Directory.GetFiles(dir, "chart-*.html").Length : 0);
        Assert.True(saved > 10, $"only {saved} charts saved");
        Assert.Equal(saved, result.Pages.Sum(p => p.ChartsDrawn));
        Assert.True(result.Pages.Sum(p => p.MathTypeset) > 10);
        Assert.True(result.Pages.Sum(p => p.InternalLinks) > 20);
        Assert.True(
            site.Map.Count >= 8
                && site.Map.All(s =>
                    s.PageHref is not null || s.Note.StartsWith("not covered", StringComparison.Ordinal)
                ),
            "every segment links to a page or says it is not covered"
        );

        // Lean artifacts: one plotly.js in the site, and the saved chart pages load it instead of inlining their own.
        Assert.Single(Directory.GetFiles(site.Folder, "plotly.min.js", SearchOption.AllDirectories));
        var chartPages = Directory.GetFiles(
            QuickNotebookRuns.ArtifactsRoot,
            "chart-*.html",
            SearchOption.AllDirectories
        );
        foreach (var chart in chartPages)
        {
            var html = File.ReadAllText(chart);
            Assert.DoesNotContain("Copyright 2012-2024, Plotly", html); // plotly.js's own banner
            Assert.Contains("<script src=\"../../site/assets/plotly.min.js\"></script>", html);
        }
    }
}
