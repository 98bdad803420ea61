namespace ScienceOfDL.NotebookRunner.Site;

/// <summary>What a site build wrote.</summary>
public sealed record SiteSummary(
    string Folder,
    IReadOnlyList<NotebookPage> Pages,
    IReadOnlyList<EpisodeSegment> Map,
    long Bytes
)
{
    public string Describe()
    {
        var notRun = Pages.Where(p => !p.Executed).Select(p => p.Name).ToList();
        return $"Site: {Path.Combine(Folder, "index.html")} ({Pages.Count} notebook pages, "
            + $"{Pages.Sum(p => p.Charts.Count)} charts, {Bytes / 1e6:F1} MB"
            + (notRun.Count > 0 ? $"; not executed: {string.Join(", ", notRun)}" : "")
            + ")";
    }
}

/// <summary>
/// Builds the read-along site from the executed notebooks under an artifacts folder (what ./run-notebooks.sh writes):
/// index.html, one page per notebook in <c>notebooks/</c>, and one shared copy of each script under assets/.
/// A notebook without an executed copy gets a page without outputs that says so.
/// </summary>
public static class SiteBuilder
{
    public const string SiteFolder = "site";
    const string Marker = ".sodl-site";

    /// <param name="requireFull">refuse (before writing anything) unless every notebook has an executed copy from a
    /// full-mode run: the committed site must not come from QUICK runs.</param>
    public static SiteSummary Build(string notebooksDir, string artifactsRoot, string outDir, bool requireFull = false)
    {
        outDir = Path.GetFullPath(outDir);
        var names = Directory
            .GetFiles(notebooksDir, "*.ipynb")
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToList();
        var notebooks = names
            .Select(name =>
                Path.Combine(artifactsRoot, name, name + ".ipynb") is var executed && File.Exists(executed)
                    ? ExecutedNotebook.Load(executed, executed: true)
                    : ExecutedNotebook.Load(Path.Combine(notebooksDir, name + ".ipynb"), executed: false)
            )
            .ToList();
        var paths = MachinePaths.ForBuild(notebooksDir, notebooks.SelectMany(RunCheckouts));
        var pages = notebooks.Select(n => NotebookPageRenderer.Render(n, names, paths)).ToList();
        var teaching = TeachingPage.Render(notebooksDir, names, paths);
        var map = EpisodeMap.Build(pages);
        if (requireFull && pages.Where(p => !p.Executed || p.Mode != "full").ToList() is { Count: > 0 } notFull)
            throw new InvalidOperationException(
                "not from a full-mode run: "
                    + string.Join(
                        ", ",
                        notFull.Select(p => $"{p.Name} ({(p.Executed ? p.Mode ?? "unknown mode" : "not executed")})")
                    )
                    + ". Run ./run-notebooks.sh (full mode) first."
            );

        Clean(outDir);
        SiteAssets.Write(outDir);
        foreach (var page in pages)
            File.WriteAllText(Path.Combine(outDir, page.FileName), page.ToHtml());
        if (teaching is not null)
            File.WriteAllText(Path.Combine(outDir, TeachingPage.FileName), teaching);
        File.WriteAllText(
            Path.Combine(outDir, "index.html"),
            IndexPage.Html(pages, map, teaching is null ? null : TeachingPage.FileName)
        );
        File.WriteAllText(Path.Combine(outDir, Marker), "Built by tools/NotebookRunner (SiteBuilder), as a whole.\n");
        var bytes = new DirectoryInfo(outDir).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        return new SiteSummary(outDir, pages, map, bytes);
    }

    static readonly System.Text.RegularExpressions.Regex RepositoryRow = new(
        @"<td>repository</td>\s*<td>(?<path>[^<]+)</td>"
    );

    /// <summary>The checkout a notebook ran in, as its setup table names it (notebooks executed before that table
    /// stopped printing it): its paths are scrubbed from the page too.</summary>
    static IEnumerable<string> RunCheckouts(ExecutedNotebook notebook) =>
        notebook
            .Cells.SelectMany(c => c.Outputs)
            .Select(o => RepositoryRow.Match(o.Content))
            .Where(m => m.Success)
            .Select(m => m.Groups["path"].Value.Trim())
            .Where(Path.IsPathRooted);

    /// <summary>Empties a previous build, except plotly.js (the repository's one copy is the committed site's; it is
    /// rewritten from the runner's embedded copy, the same bytes). Refuses a folder that holds anything else, so a
    /// mistyped --out cannot delete someone's files.</summary>
    static void Clean(string dir)
    {
        if (!Directory.Exists(dir))
        {
            Directory.CreateDirectory(dir);
            return;
        }
        var entries = Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).ToList();
        if (!File.Exists(Path.Combine(dir, Marker)) && entries.Any(e => e != SiteAssets.Folder))
            throw new IOException($"{dir} is not empty and was not built by the site builder; refusing to replace it.");
        foreach (var f in Directory.GetFiles(dir, "*", SearchOption.AllDirectories))
            if (!SiteAssets.IsKeptOnClean(Path.GetRelativePath(dir, f)))
                File.Delete(f);
        foreach (
            var d in Directory.GetDirectories(dir, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length)
        )
            if (!Directory.EnumerateFileSystemEntries(d).Any())
                Directory.Delete(d);
    }
}
