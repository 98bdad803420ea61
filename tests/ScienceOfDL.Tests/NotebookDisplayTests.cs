extern alias runner;
using System.Text.Json;
using System.Text.RegularExpressions;
using runner::ScienceOfDL.NotebookRunner;
using Xunit.Abstractions;

namespace ScienceOfDL.Tests;

/// <summary>How values display in a notebook executed by the runner (dotnet-repl), the same kernel path as VS Code and
/// Jupyter: tables, intervals, charts and library source, from tests/fixtures/display-toolkit.ipynb.</summary>
[Trait("Category", "Notebook")]
public class NotebookDisplayTests(ITestOutputHelper output)
{
    [Fact]
    public void Sequences_render_as_tables_with_a_header_per_property()
    {
        var root = Repository.Root();
        var result = NotebookRun.Execute(
            Path.Combine(root, "tests", "fixtures", "display-toolkit.ipynb"),
            Path.Combine(root, "artifacts", "test"),
            TimeSpan.FromMinutes(5)
        );
        output.WriteLine(result.Summary());
        Assert.True(result.Passed, result.Summary());
        var cells = Outputs(result.OutputPath);

        string Html(int codeCell) => cells[codeCell].Html;
        string[] Headers(int codeCell) =>
            Regex.Matches(Html(codeCell), "<th>(.*?)</th>").Select(m => m.Groups[1].Value).ToArray();

        Assert.Equal(["Method", "Accuracy", "Layer"], Headers(2)); // anonymous objects
        Assert.Contains(">0.712<", Html(2));
        Assert.Contains("LR &lt;pair&gt;", Html(2));
        Assert.Equal(["Dataset", "Acc", "Ci"], Headers(3)); // records, with intervals
        Assert.Contains("<td>0.71 [0.65, 0.77]</td>", Html(3));
        Assert.Equal(["Item1", "Item2"], Headers(4)); // value tuples
        Assert.Equal(["index", "value"], Headers(5)); // a double[] still shows
        Assert.Contains(">2.25<", Html(5));
        Assert.Equal("plain <text>", cells[6].Plain); // strings stay text
        Assert.Contains("0.50 [0.40, 0.60]", Html(7)); // one object, nested interval
        Assert.Contains(">a caption</caption>", Html(8));
        Assert.Contains("Plotly.newPlot", Html(9)); // a Figure is a chart
        Assert.Contains("fixture chart", Html(9));
        Assert.Contains("public static Tensor Total(", Html(10)); // library source
        Assert.Equal(["Index", "Half"], Headers(11)); // a cell's return value
        Assert.True(
            File.Exists(
                Path.Combine(Path.GetDirectoryName(result.OutputPath)!, "charts", "chart-01-fixture-chart.html")
            )
        );
    }

    /// <summary>Per code cell (1-based), its outputs' text/html and text/plain, joined.</summary>
    static Dictionary<int, (string Html, string Plain)> Outputs(string executedNotebook)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(executedNotebook));
        var result = new Dictionary<int, (string, string)>();
        var code = 0;
        foreach (var cell in doc.RootElement.GetProperty("cells").EnumerateArray())
        {
            if (cell.GetProperty("cell_type").GetString() != "code")
                continue;
            code++;
            string Joined(string mime) =>
                string.Concat(
                    cell.GetProperty("outputs")
                        .EnumerateArray()
                        .Where(o => o.TryGetProperty("data", out var d) && d.TryGetProperty(mime, out _))
                        .Select(o => o.GetProperty("data").GetProperty(mime))
                        .Select(v =>
                            v.ValueKind == JsonValueKind.Array
                                ? string.Concat(v.EnumerateArray().Select(l => l.GetString()))
                                : v.GetString()
                        )
                );
            result[code] = (Joined("text/html"), Joined("text/plain"));
        }
        return result;
    }
}
