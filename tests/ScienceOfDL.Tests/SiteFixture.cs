extern alias runner;
using runner::ScienceOfDL.NotebookRunner.Site;

namespace ScienceOfDL.Tests;

/// <summary>
/// A small site built from tests/fixtures/site: 00-start-here with the episode map and math, 01-demo with a chart,
/// a finding, an error and transcript citations, and 02-unrun without an executed copy.
/// </summary>
public static class SiteFixture
{
    public static readonly string Notebooks = Path.Combine(Repository.Root(), "tests", "fixtures", "site", "notebooks");

    public static SiteSummary Build(string workDir)
    {
        var artifacts = Path.Combine(workDir, "artifacts");
        foreach (var name in new[] { "00-start-here", "01-demo" }) // "executed": these fixtures carry their outputs
        {
            Directory.CreateDirectory(Path.Combine(artifacts, name));
            File.Copy(Path.Combine(Notebooks, name + ".ipynb"), Path.Combine(artifacts, name, name + ".ipynb"));
        }
        return SiteBuilder.Build(Notebooks, artifacts, Path.Combine(workDir, "site"));
    }

    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "sodl-site-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
