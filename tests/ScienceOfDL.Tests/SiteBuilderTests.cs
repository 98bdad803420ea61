extern alias runner;
using AngleSharp.Dom;
using runner::ScienceOfDL.NotebookRunner.Site;

namespace ScienceOfDL.Tests;

/// <summary>What the site builder writes, checked on the fixture notebooks without a browser.</summary>
public sealed class SiteBuilderTests : IDisposable
{
    readonly string _dir = SiteFixture.TempDir();
    readonly SiteSummary _site;

    public SiteBuilderTests() => _site = SiteFixture.Build(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Page(string name) => File.ReadAllText(Path.Combine(_site.Folder, name));

    [Fact]
    public void Writes_an_index_and_one_page_per_notebook_with_one_shared_copy_of_each_script()
    {
        Assert.Equal(["00-start-here", "01-demo", "02-unrun"], _site.Pages.Select(p => p.Name));
        foreach (var page in new[] { "index.html", "00-start-here.html", "01-demo.html", "02-unrun.html" })
            Assert.Contains("<script src=\"assets/plotly.min.js\"></script>", Page(page));
        Assert.Single(Directory.GetFiles(_site.Folder, "plotly.min.js", SearchOption.AllDirectories));
        Assert.True(File.Exists(Path.Combine(_site.Folder, "assets", "katex", "katex.min.js")));
        Assert.True(File.Exists(Path.Combine(_site.Folder, "assets", "katex", "fonts", "KaTeX_Main-Regular.woff2")));
        Assert.True(File.Exists(Path.Combine(_site.Folder, "assets", "plotly.LICENSE")));
        Assert.True(File.Exists(Path.Combine(_site.Folder, "assets", "katex", "LICENSE")));
    }

    [Fact]
    public void Drops_the_inlined_plotly_and_kernel_chatter_and_keeps_the_outputs()
    {
        var demo = Page("01-demo.html");
        Assert.DoesNotContain("FAKE_INLINED_PLOTLY", demo);
        Assert.DoesNotContain("Installing Packages", demo);
        Assert.DoesNotContain("Loading extensions", demo);
        Assert.Contains("4 measurements", demo);
        Assert.Contains("System.Exception: shown as an error", demo);
        Assert.Equal("QUICK", _site.Pages[1].Mode);
        Assert.Contains("Executed in QUICK mode", demo);
    }

    [Fact]
    public void Wraps_each_chart_as_a_numbered_figure_with_its_title_and_takeaway()
    {
        Assert.Equal(
            [
                new PageChart("fig-1", "Demo accuracy over steps", "Accuracy reaches 100% at step 4."),
                new PageChart(
                    "fig-2",
                    "Ten seeds of the demo, drawn the old way with a title far too long for a " + "phone's screen"
                ),
            ],
            _site.Pages[1].Charts
        );
        Assert.Contains("<figure class=\"sodl-chart\" id=\"fig-1\"", Page("01-demo.html"));
        var captions = _site.Pages[1].Document.QuerySelectorAll("figure.sodl-chart figcaption");
        Assert.Equal(["Figure 1. Accuracy reaches 100% at step 4.", "Figure 2"], captions.Select(c => c.TextContent));
        Assert.Empty(_site.Pages[1].Document.QuerySelectorAll(".sodl-caption")); // moved into the figcaption
        Assert.Equal("fig-1", FigureShots.Resolve(_site.Pages[1], "accuracy over"));
        Assert.Throws<ArgumentException>(() => FigureShots.Resolve(_site.Pages[1], "no such chart"));
    }

    [Fact]
    public void Charts_fill_their_column_even_when_the_notebook_drew_them_at_a_fixed_width()
    {
        var page = _site.Pages[1].Document;
        var old = page.GetElementById("c0ffee00-0000-4000-8000-000000000002")!;
        Assert.Equal("width: 100%; max-width: 760px; height: 420px;", old.GetAttribute("style"));
        var script = old.ParentElement!.ParentElement!.QuerySelector("script")!.TextContent;
        Assert.Contains("\"autosize\":true", script);
        Assert.DoesNotContain("\"width\":760", script);
        Assert.Contains(
            "Plotly.newPlot('c0ffee00-0000-4000-8000-000000000002', data, layout, {\"responsive\":true})",
            script
        );
    }

    [Fact]
    public void The_page_opens_with_the_title_then_what_you_will_see_with_the_finding_and_the_headline_chart()
    {
        var main = _site.Pages[1].Document.QuerySelector("main")!;
        var top = main.Children.Select(c => c.LocalName + (c.ClassList.Length > 0 ? "." + c.ClassName : "")).ToList();
        Assert.Equal(["section.md", "section.md what-you-will-see", "nav.toc"], top.Take(3));
        var block = main.QuerySelector(".what-you-will-see")!;
        Assert.Equal("What you will see", block.QuerySelector("h2")!.TextContent);
        Assert.Contains("reproduced", block.TextContent);
        // The computed finding is copied up (it stays in its cell too), then the headline chart is moved up.
        Assert.Equal("the demo reaches 100% accuracy at step 4", block.QuerySelector(".sodl-finding")!.TextContent);
        Assert.Equal(2, main.QuerySelectorAll(".sodl-finding").Length);
        Assert.Equal("fig-1", block.QuerySelector("figure.sodl-chart")!.Id);
        Assert.True(
            block
                .QuerySelector(".sodl-finding")!
                .CompareDocumentPosition(block.QuerySelector("figure")!)
                .HasFlag(DocumentPositions.Following)
        );
        // Its cell says where the chart went; the title cell keeps only the title and the episode link.
        Assert.Equal(
            "This cell's chart is Figure 1, at the top of the page.",
            main.QuerySelector("p.moved-chart")!.TextContent
        );
        Assert.Equal("#fig-1", main.QuerySelector("p.moved-chart a")!.GetAttribute("href"));
        Assert.DoesNotContain("What you will see", main.Children[0].TextContent);
        Assert.Equal("01-demo.html#part-one", _site.Map[0].PageHref); // the map still lands on the cited section

        // A notebook without the block keeps its order; charts stay where they are.
        var start = _site.Pages[0].Document.QuerySelector("main")!;
        Assert.Null(start.QuerySelector(".what-you-will-see"));
    }

    [Fact]
    public void The_setup_cells_packages_and_machine_move_to_a_closed_block_at_the_end_without_machine_paths()
    {
        var main = _site.Pages[1].Document.QuerySelector("main")!;
        var last = main.Children.Last();
        Assert.Equal("details", last.LocalName);
        Assert.Equal("run-environment", last.Id);
        Assert.False(last.HasAttribute("open"));
        Assert.Contains("Installed Packages", last.TextContent);
        Assert.Contains("XPlot.Plotly, 4.1.0", last.TextContent);
        Assert.Single(main.QuerySelectorAll("td"), td => td.TextContent == "mode");
        Assert.Equal("QUICK", _site.Pages[1].Mode); // still read from the moved table
        // The setup cell's code stays in place, its outputs do not.
        var setup = main.QuerySelector("#code-1")!;
        Assert.Contains("NotebookSession.Start", setup.TextContent);
        Assert.NotEqual("outputs", setup.NextElementSibling?.ClassName);
        // The checkout the notebook ran in (its table's "repository" row) is scrubbed everywhere.
        var demo = Page("01-demo.html");
        Assert.DoesNotContain("/x/checkout", demo);
        Assert.Contains("<td>data/results</td>", demo);
        Assert.Contains("<td>this checkout</td>", demo);
    }

    [Fact]
    public void Paths_of_the_machine_that_builds_the_site_are_scrubbed_from_every_page()
    {
        var root = Repository.Root();
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var executed = Path.Combine(_dir, "artifacts", "01-demo", "01-demo.ipynb");
        var notebook = File.ReadAllText(executed)
            .Replace(
                "4 measurements",
                $"4 measurements, saved to {Path.Combine(root, "data", "results", "x.csv")}; "
                    + $"packages in {Path.Combine(home, ".nuget", "packages")}; the checkout: {root}"
            );
        File.WriteAllText(executed, notebook);
        var site = SiteBuilder.Build(SiteFixture.Notebooks, Path.Combine(_dir, "artifacts"), _site.Folder);
        var demo = File.ReadAllText(Path.Combine(site.Folder, "01-demo.html"));
        Assert.DoesNotContain(root, demo);
        Assert.DoesNotContain(home + "/", demo);
        Assert.Contains(
            $"saved to {Path.Combine("data", "results", "x.csv")}; packages in ~/.nuget/packages; "
                + "the checkout: this checkout",
            demo
        );
        foreach (var page in Directory.GetFiles(site.Folder, "*.html"))
            Assert.Empty(MachinePaths.Find(File.ReadAllText(page)));
    }

    [Fact]
    public void Two_headline_charts_on_one_page_stop_the_build()
    {
        var executed = Path.Combine(_dir, "artifacts", "01-demo", "01-demo.ipynb");
        File.WriteAllText(
            executed,
            File.ReadAllText(executed)
                .Replace(
                    "<div id=\\\"c0ffee00-0000-4000-8000-000000000002\\\"",
                    "<div data-sodl-headline><div id=\\\"c0ffee00-0000-4000-8000-000000000002\\\""
                )
        );
        var e = Assert.Throws<InvalidOperationException>(() =>
            SiteBuilder.Build(SiteFixture.Notebooks, Path.Combine(_dir, "artifacts"), Path.Combine(_dir, "two"))
        );
        Assert.Contains("01-demo marks 2 charts as its headline chart", e.Message);
    }

    [Fact]
    public void Details_blocks_in_markdown_render_their_markdown_in_either_form()
    {
        var main = _site.Pages[1].Document.QuerySelector("main")!;
        var details = main.QuerySelectorAll("section.md details").ToList();
        Assert.Equal(2, details.Count);
        // Written without blank lines, inside the "What you will see" block.
        Assert.Equal("Why <em>four</em> steps", details[0].QuerySelector("summary")!.InnerHtml);
        Assert.Equal("four", details[0].QuerySelector("p strong")!.TextContent);
        Assert.NotNull(details[0].QuerySelector("span.math"));
        Assert.False(details[0].HasAttribute("open"));
        // Written with blank lines, holding a table.
        Assert.Equal("How the seeds differ", details[1].QuerySelector("summary")!.TextContent);
        Assert.Equal("0.1", details[1].QuerySelector("strong")!.TextContent);
        Assert.NotNull(details[1].QuerySelector("table"));
        Assert.DoesNotContain("**", main.TextContent);
    }

    [Fact]
    public void The_teachers_guide_becomes_a_page_that_the_index_links()
    {
        var index = Page("index.html");
        Assert.Contains("<a href=\"teaching.html\">The teacher's guide</a>", index);
        var guide = Page("teaching.html");
        Assert.Contains("<title>Fixture teacher's guide — ", guide);
        Assert.Contains("<a href=\"01-demo.html#part-one\">the demo's part one</a>", guide); // a notebook: its page
        Assert.Contains("read\nthe README for set-up", guide); // another file of the repository: its text
        Assert.Contains("<span class=\"math\">", guide);
    }

    [Fact]
    public void Renders_markdown_math_and_highlighted_collapsible_code()
    {
        var start = Page("00-start-here.html");
        Assert.Equal(3, _site.Pages[0].MathCount);
        Assert.Contains("<span class=\"math\">", start);
        Assert.Contains("<span class=\"math math-display\">", start); // $$...$$ within a paragraph
        Assert.Contains("<div class=\"math\">", start); // a $$ block
        Assert.Contains("<table>", start); // the pipe table
        var demo = Page("01-demo.html");
        Assert.Contains("<details class=\"code\"", demo);
        Assert.Contains("class=\"keyword\"", demo); // ColorCode's span for `var`, `new`, `throw`
        Assert.Contains("href=\"00-start-here.html\"", demo); // the notebook link, rewritten from .ipynb
    }

    [Fact]
    public void Heading_ids_are_unique_on_a_page_and_listed_in_the_contents()
    {
        var demo = Page("01-demo.html");
        Assert.Contains("id=\"every-layer\"", demo);
        Assert.Contains("id=\"every-layer-1\"", demo);
        Assert.Contains("<a href=\"#part-two\">Part two</a>", demo);
    }

    [Fact]
    public void The_index_maps_each_segment_to_the_section_that_cites_it_and_shows_the_computed_finding()
    {
        Assert.Equal(3, _site.Map.Count);
        Assert.Equal("01-demo.html#part-one", _site.Map[0].PageHref); // cited in the title too: the section wins
        Assert.Equal("01-demo.html#closing", _site.Map[1].PageHref);
        Assert.Equal("closing section", _site.Map[1].Note);
        Assert.Equal("02-unrun.html", _site.Map[2].PageHref); // cited nowhere: the row's notebook, from the top
        var index = Page("index.html");
        Assert.Contains("<a href=\"01-demo.html#part-one\">0:00:36</a>", index);
        Assert.Contains("the demo reaches 100% accuracy at step 4", index);
        Assert.Equal("01 · Demo notebook", _site.Pages[1].Title);
        Assert.Null(_site.Pages[2].Finding);
        Assert.Contains(">02 · Not run</a>", index); // no finding yet: the title stands in
    }

    [Fact]
    public void The_readme_findings_block_is_written_from_the_pages_and_refuses_a_notebook_without_one()
    {
        var readme = $"# Title\n\n{ReadmeFindings.Start}\nold typed numbers\n{ReadmeFindings.End}\n\nrest\n";
        var done = _site.Pages.Where(p => p.Finding is not null).ToList();
        var written = ReadmeFindings.Rewrite(readme, done);
        Assert.DoesNotContain("old typed numbers", written);
        Assert.Contains("| [`01-demo`](site/01-demo.html) | the demo reaches 100% accuracy at step 4 |", written);
        Assert.EndsWith($"{ReadmeFindings.End}\n\nrest\n", written);
        Assert.Equal(written, ReadmeFindings.Rewrite(written, done)); // rewriting is idempotent
        var e = Assert.Throws<InvalidOperationException>(() => ReadmeFindings.Rewrite(readme, _site.Pages));
        Assert.Contains("02-unrun", e.Message);
        Assert.Throws<InvalidOperationException>(() => ReadmeFindings.Rewrite("# no block\n", done));
    }

    [Fact]
    public void A_notebook_without_an_executed_copy_gets_a_page_that_says_so()
    {
        Assert.False(_site.Pages[2].Executed);
        Assert.Contains("No executed copy of this notebook was found", Page("02-unrun.html"));
    }

    [Fact]
    public void Refuses_to_replace_a_folder_it_did_not_build()
    {
        var other = Path.Combine(_dir, "someone-elses");
        Directory.CreateDirectory(other);
        File.WriteAllText(Path.Combine(other, "notes.txt"), "keep me");
        var artifacts = Path.Combine(_dir, "artifacts");
        Assert.Throws<IOException>(() => SiteBuilder.Build(SiteFixture.Notebooks, artifacts, other));
        Assert.True(File.Exists(Path.Combine(other, "notes.txt")));
        SiteBuilder.Build(SiteFixture.Notebooks, artifacts, _site.Folder); // its own: rebuilt
    }

    [Fact]
    public void Refuses_a_quick_or_partial_run_for_the_committed_site_before_writing_anything()
    {
        var target = Path.Combine(_dir, "committed");
        var e = Assert.Throws<InvalidOperationException>(() =>
            SiteBuilder.Build(SiteFixture.Notebooks, Path.Combine(_dir, "artifacts"), target, requireFull: true)
        );
        Assert.Contains("01-demo (QUICK)", e.Message);
        Assert.Contains("02-unrun (not executed)", e.Message);
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public void Reads_the_figure_list()
    {
        var list = Path.Combine(_dir, "figures.txt");
        File.WriteAllText(list, "# comment\ngrokking.png | 04 | train and test accuracy  # why\n\n");
        Assert.Equal([new FigureSpec("grokking.png", "04", "train and test accuracy")], FigureShots.ReadList(list));
        File.WriteAllText(list, "grokking.png | 04\n");
        Assert.Throws<FormatException>(() => FigureShots.ReadList(list));
    }
}
