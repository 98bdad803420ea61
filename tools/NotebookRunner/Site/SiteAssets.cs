using System.Reflection;

namespace ScienceOfDL.NotebookRunner.Site;

/// <summary>
/// The site's shared scripts and styles (plotly.js, KaTeX with its fonts, site.css and site.js), embedded in
/// this assembly and written once under a site's assets/ folder. Every page and every saved chart page refers to these
/// copies by relative path.
/// </summary>
public static class SiteAssets
{
    const string Prefix = "site-assets/";
    public const string Folder = "assets";

    /// <summary>Whether a site file (a path relative to the site) survives a rebuild's cleaning: plotly.js and its
    /// licence, whose one copy in the repository is the committed site's (lib embeds it from there).</summary>
    public static bool IsKeptOnClean(string relativePath) =>
        relativePath.Replace('\\', '/') is Folder + "/plotly.min.js" or Folder + "/plotly.LICENSE";

    public static void Write(string siteDir)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var names = assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal));
        foreach (var name in names)
        {
            var path = Path.Combine(siteDir, Folder, name[Prefix.Length..]);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var from = assembly.GetManifestResourceStream(name)!;
            using var to = File.Create(path);
            from.CopyTo(to);
        }
    }

    /// <summary>Holds <c>&lt;artifacts&gt;/.site.lock</c> while the site there is (re)built or its assets written, so
    /// two runners on one artifacts folder never empty the site under each other. Waits up to 10 minutes (a build takes
    /// seconds).</summary>
    public static IDisposable LockSite(string artifactsRoot)
    {
        Directory.CreateDirectory(artifactsRoot);
        var path = Path.Combine(Path.GetFullPath(artifactsRoot), ".site.lock");
        return FolderLock.Take(path, TimeSpan.FromMinutes(10), () =>
            Console.WriteLine($"  waiting: another runner is building the site in {artifactsRoot}")
        ) ?? throw new IOException($"another runner held {path} for 10 minutes");
    }

    /// <summary>
    /// The shared plotly.js of the site under <paramref name="artifactsRoot"/>, written if missing, as a path
    /// relative to <paramref name="chartsDir"/>: saved chart pages load it from there instead of inlining 4.5 MB each.
    /// </summary>
    public static string SharedPlotlyFor(string artifactsRoot, string chartsDir)
    {
        var path = Path.Combine(Path.GetFullPath(artifactsRoot), SiteBuilder.SiteFolder, Folder, "plotly.min.js");
        if (!File.Exists(path))
        {
            using var held = LockSite(artifactsRoot);
            // Whole or not at all: another runner's charts may load it while this one writes it.
            using var from = Assembly.GetExecutingAssembly().GetManifestResourceStream(Prefix + "plotly.min.js")!;
            ScienceOfDL.Results.AtomicFile.Write(path, from.CopyTo);
        }
        return Path.GetRelativePath(Path.GetFullPath(chartsDir), path).Replace('\\', '/');
    }
}
