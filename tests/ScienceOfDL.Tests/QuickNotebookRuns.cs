extern alias runner;
using runner::ScienceOfDL.NotebookRunner;

namespace ScienceOfDL.Tests;

/// <summary>
/// Runs each notebook once in QUICK mode into artifacts/test/, whichever test asks first, from no saved results: the
/// per-notebook tests report each run, and the site test builds its pages from the same executed copies.
/// </summary>
public sealed class QuickNotebookRuns
{
    public static readonly string Root = Repository.Root();
    public static readonly string ArtifactsRoot = Path.Combine(Root, "artifacts", "test");
    readonly Dictionary<string, NotebookResult> _results = new();

    public static IReadOnlyList<string> Names { get; } =
        Directory
            .GetFiles(Path.Combine(Root, "notebooks"), "*.ipynb")
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToList();

    public NotebookResult Run(string notebook)
    {
        lock (_results)
        {
            if (_results.TryGetValue(notebook, out var done))
                return done;
            // The runner keeps a notebook's QUICK results between runs; these tests check that each notebook computes
            // them, so each starts from none, as on a fresh CI machine.
            var previous = Path.Combine(ArtifactsRoot, notebook, "results");
            if (Directory.Exists(previous))
                Directory.Delete(previous, recursive: true);
            var result = NotebookRun.Execute(
                Path.Combine(Root, "notebooks", notebook + ".ipynb"),
                ArtifactsRoot,
                TimeSpan.FromMinutes(12),
                new Dictionary<string, string> { ["SODL_QUICK"] = "1" }
            );
            _results[notebook] = result;
            return result;
        }
    }

    public IReadOnlyList<NotebookResult> RunAll() => Names.Select(Run).ToList();
}

[CollectionDefinition(Name)]
public sealed class QuickNotebookRunsCollection : ICollectionFixture<QuickNotebookRuns>
{
    public const string Name = "QUICK notebook runs";
}
