extern alias runner;
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
    public void Wraps_each_chart_as_a_numbered_figure_with_its_title()
    {
        var chart = Assert.Single(_site.Pages[1].Charts);
        Assert.Equal(new PageChart("fig-1", "Demo accuracy over steps"), chart);
        Assert.Contains("<figure class=\"sodl-chart\" id=\"fig-1\"", Page("01-demo.html"));
        Assert.Equal("fig-1", FigureShots.Resolve(_site.Pages[1], "accuracy over"));
        Assert.Throws<ArgumentException>(() => FigureShots.Resolve(_site.Pages[1], "no such chart"));
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
        Assert.Equal(written, ReadmeFindings.Rewrite(written, done));   // rewriting is idempotent
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
            SiteBuilder.Build(SiteFixture.Notebooks, Path.Combine(_dir, "artifacts"), target, requireFull: true));
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
