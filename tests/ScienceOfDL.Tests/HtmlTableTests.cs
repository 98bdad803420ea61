using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive.Formatting;
using ScienceOfDL.Notebooks;
using ScienceOfDL.Statistics;

namespace ScienceOfDL.Tests;

public class HtmlTableTests
{
    sealed record Row(string Method, double Accuracy, int Layer, Interval Ci);

    static string[] Headers(string html) => Matches(html, "<th>(.*?)</th>");

    static string[] Cells(string html) => Matches(html, "<td[^>]*>(.*?)</td>");

    static string[] Matches(string html, string pattern) =>
        Regex.Matches(html, pattern).Select(m => m.Groups[1].Value).ToArray();

    [Fact]
    public void Records_anonymous_objects_and_tuples_get_a_column_per_member()
    {
        var ci = new Interval(0.71, 0.65, 0.77);
        var records = HtmlTable.Render(new[] { new Row("CCS", 0.712345, 3, ci), new Row("LR", 0.9, 4, ci) });
        Assert.Equal(["Method", "Accuracy", "Layer", "Ci"], Headers(records));
        Assert.Equal(["CCS", "0.712", "3", "0.71 [0.65, 0.77]", "LR", "0.9", "4", "0.71 [0.65, 0.77]"], Cells(records));

        var anonymous = HtmlTable.Render(
            Enumerable.Range(0, 2).Select(i => new { Step = i * 100, Loss = 1.0 / (i + 3) })
        );
        Assert.Equal(["Step", "Loss"], Headers(anonymous));
        Assert.Equal(["0", "0.333", "100", "0.25"], Cells(anonymous));

        var tuples = HtmlTable.Render(new List<(string, double)> { ("a", 1.5) });
        Assert.Equal(["Item1", "Item2"], Headers(tuples));

        var pairs = HtmlTable.Render(new Dictionary<string, int[]> { ["seeds"] = [1, 2, 3] });
        Assert.Equal(["Key", "Value"], Headers(pairs));
        Assert.Equal(["seeds", "[1, 2, 3]"], Cells(pairs));
    }

    [Fact]
    public void Other_sequences_are_index_value_tables_and_text_is_encoded()
    {
        var numbers = HtmlTable.Render(new[] { 1.5, 2.25 });
        Assert.Equal(["index", "value"], Headers(numbers));
        Assert.Equal(["0", "1.5", "1", "2.25"], Cells(numbers));
        Assert.Equal(["a &lt;b&gt;"], Cells(HtmlTable.Render(new[] { new { Name = "a <b>" } })));
        Assert.Contains("<pre>x &amp; y</pre>", HtmlTable.Render("x & y"));
        Assert.Contains("no rows", HtmlTable.Render(Array.Empty<Row>()));
        Assert.Equal(["Method", "Accuracy", "Layer", "Ci"], Headers(HtmlTable.Render(Array.Empty<Row>())));
        // An interval is one value, not a row of its three members.
        Assert.Equal(["index", "value"], Headers(HtmlTable.Render(new[] { new Interval(1, 0, 2) })));
    }

    [Fact]
    public void Long_sequences_are_cut_with_a_count_and_captions_show()
    {
        var html = HtmlTable.Render(Enumerable.Range(0, HtmlTable.MaxRows + 7).Select(i => new { i }));
        Assert.Equal(HtmlTable.MaxRows, Regex.Matches(html, "<tr><td").Count - 1);
        Assert.Contains("… 7 more rows", html);
        Assert.Contains("… at least 100000 more rows", HtmlTable.Render(Endless()));
        Assert.Contains(">a caption</caption>", new[] { new { A = 1 } }.WithCaption("a caption").Markup);
    }

    [Fact]
    public void A_folded_table_sits_in_a_closed_details_block_under_its_summary()
    {
        var html = new[] { new { A = 1 } }.Folded("Per-seed rows & more").Markup;
        Assert.StartsWith("<details><summary>Per-seed rows &amp; more</summary><table", html);
        Assert.EndsWith("</table></details>", html);
        Assert.DoesNotContain("<details open", html);
    }

    static IEnumerable<int> Endless()
    {
        for (var i = 0; ; i++)
            yield return i;
    }

    [Theory]
    [InlineData(0.712345, "0.712")]
    [InlineData(0.98, "0.98")]
    [InlineData(0.9996, "0.9996")] // never rounded to a misleading 1
    [InlineData(41.234, "41.2")]
    [InlineData(1234.56, "1235")]
    [InlineData(99.96, "99.96")]
    [InlineData(3000.0, "3000")]
    [InlineData(0.00123456, "0.00123")]
    [InlineData(0.000012345, "1.23e-5")]
    [InlineData(12345678.9, "1.23e+7")]
    [InlineData(-0.5, "-0.5")]
    [InlineData(double.NaN, "NaN")]
    public void Numbers_keep_three_significant_digits(double x, string text) => Assert.Equal(text, HtmlTable.Number(x));

    [Fact]
    public void The_registered_formatter_renders_sequences_and_intervals()
    {
        NotebookFormatters.Register();
        var html = new[] { new { Method = "CCS", Accuracy = 0.5 } }.ToDisplayString(HtmlFormatter.MimeType);
        Assert.Equal(["Method", "Accuracy"], Headers(html));
        Assert.Equal("0.71 [0.65, 0.77]", new Interval(0.71, 0.65, 0.77).ToDisplayString(HtmlFormatter.MimeType));
        Assert.Equal("0.71 [0.65, 0.77]", new Interval(0.71, 0.65, 0.77).ToDisplayString(PlainTextFormatter.MimeType));
        // A double[] has no member columns but still renders (the kernel shows nothing when a formatter declines).
        Assert.Contains("2.25", new[] { 2.25 }.ToDisplayString(HtmlFormatter.MimeType));
    }
}
