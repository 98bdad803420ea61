extern alias runner;
using runner::ScienceOfDL.NotebookRunner.Site;

namespace ScienceOfDL.Tests;

/// <summary>The reading checks issue 30 sets for every notebook page (finding first, short main text, typeset math,
/// no machine paths), on small pages written here, and the markdown and path helpers behind them.</summary>
public class PageReadingTests
{
    const string Chart =
        "<figure class=\"sodl-chart\" id=\"fig-1\"><div></div><figcaption>"
        + "<a href=\"#fig-1\">Figure 1.</a> Two caption words</figcaption></figure>";

    static string Page(string main) =>
        $"<!DOCTYPE html><html><head><title>t</title><script>var words = 'not counted here';</script></head><body>"
        + $"<header class=\"site-nav\">Episode map · 00 →</header><main>{main}</main><footer>Built by</footer>"
        + "</body></html>";

    static string Words(int n, string word = "word") => string.Join(" ", Enumerable.Repeat(word, n));

    [Fact]
    public void Counts_words_a_reader_sees_before_the_first_chart_and_outside_closed_details()
    {
        var facts = PageReading.Read(
            "p.html",
            Page(
                $"<h1>Three word title</h1><p>{Words(10)} — · 42 x<sub>i</sub></p>"
                    + // 12: not — or ·; "xi"
                    "<details class=\"code\"><summary><code>var x = 1;</code></summary><pre>var y = 2;</pre></details>"
                    + $"<details><summary>Why so</summary><p>{Words(50)}</p></details>"
                    + // only the summary: 2
                    $"<details open><summary>Open</summary><p>{Words(5)}</p></details>"
                    + // 1 + 5
                    "<script>var hidden = 'script words';</script><p hidden>hidden words</p>"
                    + $"{Chart}<p>{Words(20)}</p>"
                    + $"<details><summary>Later</summary>{Words(100)}</details>"
            )
        );
        Assert.Equal(3 + 12 + 2 + 6, facts.WordsBeforeFirstChart);
        Assert.Equal(3 + 12 + 2 + 6 + 5 + 20 + 1, facts.WordsShown); // the caption "Figure 1. Two caption words": 5
    }

    [Fact]
    public void A_page_without_a_chart_counts_every_word_as_before_it()
    {
        var facts = PageReading.Read("p.html", Page($"<p>{Words(7)}</p>"));
        Assert.Equal((7, 7), (facts.WordsBeforeFirstChart, facts.WordsShown));
    }

    [Fact]
    public void Finds_the_finding_and_the_what_you_will_see_block_relative_to_the_first_chart()
    {
        var finding = "<p class=\"sodl-finding\">the finding</p>";
        var block = $"<section class=\"md what-you-will-see\"><h2>What you will see</h2>{finding}{Chart}</section>";
        var first = PageReading.Read("p.html", Page("<h1>T</h1>" + block + Chart.Replace("fig-1", "fig-2")));
        Assert.True(first.HasWhatYouWillSee);
        Assert.True(first.FindingBeforeFirstChart);
        Assert.Empty(PageReading.Problems(first with { Formulas = 1 }));

        var late = PageReading.Read(
            "p.html",
            Page("<h1>T</h1>" + Chart + finding + "<section class=\"what-you-will-see\"></section>")
        );
        Assert.False(late.HasWhatYouWillSee);
        Assert.False(late.FindingBeforeFirstChart);
        var problems = PageReading.Problems(late);
        Assert.Contains("no \"What you will see\" block before the first chart", problems);
        Assert.Contains("the finding (.sodl-finding) does not come before the first chart", problems);
        Assert.False(PageReading.Read("p.html", Page("<h1>T</h1>")).FindingBeforeFirstChart); // no finding at all
    }

    [Fact]
    public void Reports_each_limit_it_passes_and_nothing_at_the_limits()
    {
        var math = "<span class=\"math\">\\(x_i\\)</span>";
        var atLimits = PageReading.Read(
            "p.html",
            Page(
                $"<section class=\"what-you-will-see\"><p class=\"sodl-finding\">{Words(3)}</p>{math}"
                    + $"<p>{Words(396)}</p>{Chart}</section><p>{Words(2500 - 400 - 5)}</p>"
            )
        ); // 5: the caption
        Assert.Equal((400, 2500, 1), (atLimits.WordsBeforeFirstChart, atLimits.WordsShown, atLimits.Formulas));
        Assert.Empty(PageReading.Problems(atLimits));

        var over = atLimits with
        {
            WordsBeforeFirstChart = 401,
            WordsShown = 2501,
            Formulas = 0,
            MachinePaths = ["/home/someone/repo"],
        };
        Assert.Equal(
            [
                "401 words before the first chart (at most 400)",
                "2501 words outside closed <details> (at most 2500)",
                "0 typeset formulas (at least 1)",
                "absolute machine paths: /home/someone/repo",
            ],
            PageReading.Problems(over)
        );
    }

    [Fact]
    public void Finds_absolute_machine_paths_but_not_urls_or_relative_paths()
    {
        var html = Page(
            "<td>/work/main/data/results</td><td>data/results</td>"
                + "<a href=\"https://axrp.net/home/x\">link</a> <code>C:\\Users\\me\\repo</code> "
                + "<img src=\"data:image/png;base64,AAAA/root/BBBB\"> <p>~/.nuget/packages</p>"
                + "<script>var d = {\"p\":\"/tmp/sodl-site-1/x.csv\"};</script>"
        );
        Assert.Equal(
            ["/work/main/data/results", "C:\\Users\\me\\repo", "/tmp/sodl-site-1/x.csv"],
            MachinePaths.Find(html)
        );
        Assert.Empty(MachinePaths.Find(Page("<p>see data/results/x.csv and https://example.org/work/y</p>")));
    }

    [Fact]
    public void Scrubs_checkouts_as_relative_paths_and_home_as_a_tilde_innermost_first()
    {
        var paths = new MachinePaths(["/home/me/src/sodl", "/home/me/src/sodl-other/"], "/home/me");
        Assert.Equal(
            "<td>data/results</td><td>this checkout</td> ~/.nuget/x ~ sodl-other/notes.txt /home/meandyou/y",
            paths.Scrub(
                "<td>/home/me/src/sodl/data/results</td><td>/home/me/src/sodl</td> /home/me/.nuget/x "
                    + "/home/me /home/me/src/sodl-other/sodl-other/notes.txt /home/meandyou/y"
            )
        );
        // A folder that merely starts with the checkout's name is not inside it.
        Assert.Equal(
            "/home/me/src/sodl2/x",
            new MachinePaths(["/home/me/src/sodl"], null).Scrub("/home/me/src/sodl2/x")
        );
    }

    [Fact]
    public void Details_markdown_gets_its_tags_on_lines_of_their_own_and_its_summary_rendered()
    {
        string Html(string markdown) =>
            Markdig.Markdown.ToHtml(
                DetailsMarkdown.Prepare(markdown, NotebookPageRenderer.Markdown),
                NotebookPageRenderer.Markdown
            );
        var compact = Html("Intro.\n<details><summary>Why **so**</summary>\nText with *emphasis*.\n</details>\nAfter.");
        Assert.Contains("<details>", compact);
        Assert.Contains("<summary>Why <strong>so</strong></summary>", compact);
        Assert.Contains("<p>Text with <em>emphasis</em>.</p>", compact);
        Assert.Contains("</details>", compact);
        Assert.Contains("<p>After.</p>", compact);

        var oneLine = Html("<details open><summary>S</summary>Inside $x$.</details>");
        Assert.Contains("<details open>", oneLine);
        Assert.Contains("<p>Inside <span class=\"math\">\\(x\\)</span>.</p>", oneLine);

        var spaced = "<details>\n<summary>S</summary>\n\nText.\n\n</details>\n";
        Assert.Contains("<p>Text.</p>", Html(spaced));

        // In a code fence, or mentioned inside a sentence, the tag is text.
        var fenced = "```html\n<details><summary>S</summary>\n</details>\n```\n";
        Assert.Equal(fenced, DetailsMarkdown.Prepare(fenced, NotebookPageRenderer.Markdown));
        var mention = "Fold it in a `<details>` block.\n";
        Assert.Equal(mention, DetailsMarkdown.Prepare(mention, NotebookPageRenderer.Markdown));
    }
}
