extern alias runner;
using runner::ScienceOfDL.NotebookRunner;
using Xunit.Abstractions;

namespace ScienceOfDL.Tests;

/// <summary>Every notebook runs headless in QUICK mode through the same runner as ./run-notebooks.sh.</summary>
[Trait("Category", "Notebook")]
[Collection(QuickNotebookRunsCollection.Name)]
public class NotebookTests(ITestOutputHelper output, QuickNotebookRuns runs)
{
    static readonly string Root = Repository.Root();

    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (
            var path in Directory
                .GetFiles(Path.Combine(Repository.Root(), "notebooks"), "*.ipynb")
                .OrderBy(p => p, StringComparer.Ordinal)
        )
            data.Add(Path.GetFileNameWithoutExtension(path));
        return data;
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Runs_in_quick_mode(string notebook)
    {
        var result = runs.Run(notebook);
        output.WriteLine(result.Summary());
        Assert.True(result.Passed, result.Summary());
    }

    /// <summary>Issue 32: an error in an early cell was followed by 4-11 follow-on errors of the cells after it. The
    /// first failing cell is the one reported; the cells after it are skipped (the fixture's next cell would fail
    /// on its own, reading a variable the failed cell never declared).</summary>
    [Fact]
    public void A_failing_cell_fails_the_run_is_named_and_the_cells_after_it_are_skipped()
    {
        var result = NotebookRun.Execute(
            Path.Combine(Root, "tests", "fixtures", "failing.ipynb"),
            Path.Combine(Root, "artifacts", "test"),
            TimeSpan.FromMinutes(3)
        );
        output.WriteLine(result.Summary());
        Assert.False(result.Passed);
        var failure = Assert.Single(result.Failures);
        Assert.Equal(4, failure.Cell);
        Assert.Equal(3, failure.CodeCell);
        Assert.StartsWith("System.InvalidOperationException: deliberate failure for the runner test", failure.Message);
        Assert.Equal([5, 6], result.Skipped);
        Assert.Contains("cell 4 (code cell 3): ", result.Summary());
        Assert.Contains("2 later cells were skipped (cells 5-6)", result.Summary());
        Assert.DoesNotContain("later cells do not run\\n", File.ReadAllText(result.OutputPath)); // its output
    }
}
