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

    /// <summary>
    /// The shared plotly.js of the site under <paramref name="artifactsRoot"/>, written if missing, as a path
    /// relative to <paramref name="chartsDir"/>: saved chart pages load it from there instead of inlining 4.5 MB each.
    /// </summary>
    public static string SharedPlotlyFor(string artifactsRoot, string chartsDir)
    {
        var path = Path.Combine(Path.GetFullPath(artifactsRoot), SiteBuilder.SiteFolder, Folder, "plotly.min.js");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var from = Assembly.GetExecutingAssembly().GetManifestResourceStream(Prefix + "plotly.min.js")!;
            using var to = File.Create(path);
            from.CopyTo(to);
        }
        return Path.GetRelativePath(Path.GetFullPath(chartsDir), path).Replace('\\', '/');
    }
}
