using System.Reflection;

namespace ScienceOfDL.Tests;

/// <summary>
/// The science (ScienceOfDL.dll) knows nothing of notebooks: display, charts and formatters live in the adapter
/// (ScienceOfDL.Notebooks.dll), which references the science and not the other way round. The compiler enforces the
/// direction — the science project has no reference to the adapter or to its packages — and this test pins the
/// project files, so nobody adds such a reference back.
/// </summary>
public class ArchitectureTests
{
    static readonly Assembly Science = typeof(Results.ResultsStore).Assembly;
    static readonly Assembly Adapter = typeof(Notebooks.NotebookSession).Assembly;

    [Fact]
    public void The_science_assembly_references_no_notebook_display_or_chart_package()
    {
        Assert.Equal("ScienceOfDL", Science.GetName().Name);
        Assert.Equal("ScienceOfDL.Notebooks", Adapter.GetName().Name);
        var references = Science.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.DoesNotContain(references, n =>
            n.StartsWith("Microsoft.DotNet.Interactive", StringComparison.Ordinal)
            || n.StartsWith("XPlot", StringComparison.Ordinal)
            || n == "ScienceOfDL.Notebooks"
        );
        Assert.Contains("ScienceOfDL", Adapter.GetReferencedAssemblies().Select(a => a.Name));
        Assert.DoesNotContain(Science.GetTypes(), t => t.Namespace is "ScienceOfDL.Notebooks" or "ScienceOfDL.Plots");
    }

    [Fact]
    public void The_science_project_file_names_no_display_package_or_the_adapter()
    {
        var project = File.ReadAllText(Path.Combine(Repository.Root(), "lib", "ScienceOfDL.csproj"));
        Assert.DoesNotContain("XPlot", project);
        Assert.DoesNotContain("Microsoft.DotNet.Interactive", project);
        Assert.DoesNotContain("ScienceOfDL.Notebooks.csproj", project);
    }

    [Fact]
    public void No_library_folder_holds_more_than_ten_source_files()
    {
        var lib = Path.Combine(Repository.Root(), "lib");
        var crowded = Directory
            .GetDirectories(lib, "*", SearchOption.AllDirectories)
            .Prepend(lib)
            .Where(d => !Path.GetRelativePath(lib, d).Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
            .Select(d => (Folder: Path.GetRelativePath(lib, d), Files: Directory.GetFiles(d, "*.cs").Length))
            .Where(x => x.Files > 10)
            .ToList();
        Assert.True(crowded.Count == 0, "Split by role: " + string.Join(", ", crowded));
    }

    /// <summary>plotly.js (4.5 MB) is committed once: the committed site's copy, which the notebook adapter and the
    /// runner embed. Build outputs, artifacts and caches (ignored by git) do not count.</summary>
    [Fact]
    public void The_repository_holds_one_copy_of_plotly_js()
    {
        var root = Repository.Root();
        var ignored = new[] { "bin", "obj", "artifacts", ".git", "node_modules", "cache" };
        var copies = Directory
            .EnumerateFiles(root, "plotly*.js", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(p => ignored.Contains(p)))
            .ToList();
        Assert.Equal(["site/assets/plotly.min.js"], copies);
    }
}
