using System.Text.RegularExpressions;

namespace ScienceOfDL.NotebookRunner.Site;

/// <summary>
/// Absolute paths of the machine that ran the notebooks or built the site, kept out of published pages: a page is read
/// on other machines, where such a path means nothing and tells about this one. <see cref="Scrub"/> rewrites the
/// known folders (the checkout as a relative path, the home folder as <c>~</c>); <see cref="Find"/> reports any
/// absolute path left.
/// </summary>
public sealed class MachinePaths
{
    /// <summary>What an absolute path in a page looks like: a Unix path under a folder that holds users' or machines'
    /// files, or a Windows drive path. Not preceded by a word character, a slash or a colon, so URLs
    /// (<c>https://host/home/...</c>) and base64 data do not match.</summary>
    static readonly Regex Absolute = new(
        @"(?<![\w.~/:+\\-])(/(?:home|root|work|tmp|Users|mnt|opt|srv|var|private|workspaces?)/[^\s""'<>()\\]*"
            + @"|[A-Za-z]:\\\\?(?:Users|home|work|src|repos|Projects)[^\s""'<>()]*)"
    );

    readonly List<(Regex Pattern, string Replacement)> _rules = [];

    /// <param name="checkouts">folders of the repository (where the notebooks ran, where the site is built): a path
    /// inside one becomes relative to it, the folder itself "this checkout".</param>
    /// <param name="home">the user's home folder: becomes <c>~</c>.</param>
    public MachinePaths(IEnumerable<string> checkouts, string? home)
    {
        var folders = checkouts.Where(IsUsable).Select(c => (Folder: c, Inside: "", Self: "this checkout")).ToList();
        if (IsUsable(home))
            folders.Add((home!, "~/", "~"));
        // the innermost folder first
        folders = folders.DistinctBy(f => Trim(f.Folder)).OrderByDescending(f => Trim(f.Folder).Length).ToList();
        foreach (var (folder, inside, self) in folders)
        {
            // As written in text and in JSON strings (where a Windows backslash is doubled).
            var forms = new[] { Trim(folder), Trim(folder).Replace("\\", "\\\\") }.Distinct();
            foreach (var form in forms)
            {
                var escaped = Regex.Escape(form);
                _rules.Add((new Regex(@"(?<![\w.\\/-])" + escaped + @"(?:/|\\\\|\\)"), inside));
                _rules.Add((new Regex(@"(?<![\w.\\/-])" + escaped + @"(?![\w.-])"), self));
            }
        }
    }

    /// <summary>The folders of this machine that site pages may mention: the checkout that builds the site (and the
    /// one the notebooks' setup table names, if they ran elsewhere), and the home folder.</summary>
    public static MachinePaths ForBuild(string notebooksDir, IEnumerable<string> runCheckouts)
    {
        var checkout = Path.GetFullPath(Path.Combine(notebooksDir, ".."));
        var folders = new List<string> { checkout };
        if (FindRepository(checkout) is { } repository)
            folders.Add(repository);
        folders.AddRange(runCheckouts);
        return new MachinePaths(folders, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
    }

    public string Scrub(string text)
    {
        foreach (var (pattern, replacement) in _rules)
            text = pattern.Replace(text, replacement);
        return text;
    }

    /// <summary>Every absolute machine path in <paramref name="text"/> (at most <paramref name="limit"/>).</summary>
    public static IReadOnlyList<string> Find(string text, int limit = 5) =>
        Absolute.Matches(text).Select(m => m.Value).Distinct().Take(limit).ToList();

    static bool IsUsable(string? folder) =>
        !string.IsNullOrWhiteSpace(folder) && Path.IsPathRooted(folder) && Trim(folder).Length > 3;

    static string Trim(string folder) => folder.TrimEnd('/', '\\');

    /// <summary>The repository around <paramref name="dir"/> (the folder with ScienceOfDL.slnx), if any.</summary>
    static string? FindRepository(string dir)
    {
        for (var d = new DirectoryInfo(dir); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "ScienceOfDL.slnx")))
                return d.FullName;
        return null;
    }
}
