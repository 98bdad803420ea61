using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace ScienceOfDL.Tests;

/// <summary>Notebooks name packages with `#r "nuget: X, V"`; V must be the version in
/// Directory.Packages.props.</summary>
public class NotebookPackageVersionTests
{
    static readonly Regex NugetLine = new(
        @"#r\s+""nuget:\s*(?<id>[^,""]+?)\s*(,\s*(?<v>[^""]+?))?\s*""",
        RegexOptions.Compiled
    );

    public static Dictionary<string, string> CentralVersions() =>
        XDocument
            .Load(Path.Combine(Repository.Root(), "Directory.Packages.props"))
            .Descendants("PackageVersion")
            .ToDictionary(
                e => (string)e.Attribute("Include")!,
                e => (string)e.Attribute("Version")!,
                StringComparer.OrdinalIgnoreCase
            );

    /// <summary>Problems with the #r nuget lines of one notebook's source text.</summary>
    public static List<string> Violations(
        string notebookName,
        IEnumerable<string> codeCells,
        IReadOnlyDictionary<string, string> central
    )
    {
        var problems = new List<string>();
        foreach (var code in codeCells)
        foreach (Match m in NugetLine.Matches(code))
        {
            var id = m.Groups["id"].Value;
            var v = m.Groups["v"].Success ? m.Groups["v"].Value : null;
            if (!central.TryGetValue(id, out var expected))
                problems.Add($"{notebookName}: {id} is not in Directory.Packages.props");
            else if (v != expected)
                problems.Add(
                    $"{notebookName}: {id} {v ?? "(no version)"} but Directory.Packages.props pins {expected}"
                );
        }
        return problems;
    }

    static IEnumerable<string> CodeCells(string ipynb)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(ipynb));
        return doc
            .RootElement.GetProperty("cells")
            .EnumerateArray()
            .Where(c => c.GetProperty("cell_type").GetString() == "code")
            .Select(c => string.Concat(c.GetProperty("source").EnumerateArray().Select(l => l.GetString())))
            .ToList();
    }

    [Fact]
    public void Notebooks_use_the_central_package_versions()
    {
        var central = CentralVersions();
        var notebooks = Directory.GetFiles(Path.Combine(Repository.Root(), "notebooks"), "*.ipynb");
        Assert.NotEmpty(notebooks);
        var problems = notebooks.SelectMany(nb => Violations(Path.GetFileName(nb), CodeCells(nb), central)).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        // Every notebook brings TorchSharp in itself (the library's DLL does not bring its packages).
        Assert.All(notebooks, nb => Assert.Contains(CodeCells(nb), c => c.Contains("#r \"nuget: TorchSharp-cpu")));
    }

    [Fact]
    public void A_mismatched_or_unknown_version_is_reported()
    {
        var central = new Dictionary<string, string> { ["TorchSharp-cpu"] = "0.107.0" };
        Assert.Empty(Violations("ok", ["#r \"nuget: TorchSharp-cpu, 0.107.0\""], central));
        Assert.Single(Violations("old", ["#r \"nuget: TorchSharp-cpu, 0.105.0\""], central));
        Assert.Single(Violations("floating", ["#r \"nuget: TorchSharp-cpu\""], central));
        Assert.Single(Violations("unknown", ["#r \"nuget: Foo, 1.0\""], central));
    }
}
