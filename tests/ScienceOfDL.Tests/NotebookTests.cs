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
        foreach (var path in Directory.GetFiles(Path.Combine(Repository.Root(), "notebooks"), "*.ipynb").OrderBy(p =>
            p, StringComparer.Ordinal))
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

    [Fact]
    public void A_failing_cell_fails_the_run_and_is_named()
    {
        var result = NotebookRun.Execute(Path.Combine(Root, "tests", "fixtures", "failing.ipynb"),
            Path.Combine(Root, "artifacts", "test"), TimeSpan.FromMinutes(3));
        output.WriteLine(result.Summary());
        Assert.False(result.Passed);
        var failure = Assert.Single(result.Failures);
        Assert.Equal(3, failure.Cell);
        Assert.Equal(2, failure.CodeCell);
        Assert.Contains("deliberate failure", failure.Message);
        Assert.Contains("cell 3 (code cell 2)", result.Summary());
    }
}
