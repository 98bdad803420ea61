using ScienceOfDL.NotebookRunner;
using ScienceOfDL.NotebookRunner.Site;

// Usage: NotebookRunner [--timeout SECONDS] [--artifacts DIR] [name-or-path ...]
// Runs the named notebooks (default: every notebooks/*.ipynb) headless and exits non-zero if any cell fails.
var root = FindRoot();
if (args.Length > 0 && args[0] == "site") return SiteCommand.Run(root, args[1..]);
var artifacts = Path.Combine(root, "artifacts");
var quick = Environment.GetEnvironmentVariable("SODL_QUICK") == "1";
var timeout = TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("SODL_NOTEBOOK_TIMEOUT"), out var t) ? t : quick ? 900 : 4 * 3600);
var names = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--timeout" when i + 1 < args.Length: timeout = TimeSpan.FromSeconds(int.Parse(args[++i])); break;
        case "--artifacts" when i + 1 < args.Length: artifacts = Path.GetFullPath(args[++i]); break;
        case "-h" or "--help":
            Console.WriteLine("run-notebooks.sh [--timeout SECONDS] [--artifacts DIR] [notebook ...]\n" +
                              "  notebook: a file name in notebooks/ (with or without .ipynb), a unique prefix such as 04, or a path.\n" +
                              "  SODL_QUICK=1 selects QUICK mode; SODL_NOTEBOOK_TIMEOUT sets the per-notebook timeout in seconds.");
            return 0;
        default: names.Add(args[i]); break;
    }
}

var notebooksDir = Path.Combine(root, "notebooks");
var available = Directory.GetFiles(notebooksDir, "*.ipynb").OrderBy(p => p, StringComparer.Ordinal).ToList();
var selected = new List<string>();
foreach (var n in names.Count > 0 ? names : available.Select(Path.GetFileNameWithoutExtension)!)
{
    var resolved = Resolve(n!);
    if (resolved is null)
    {
        Console.Error.WriteLine($"error: no notebook '{n}'. Available: {string.Join(", ", available.Select(Path.GetFileNameWithoutExtension))}");
        return 2;
    }
    selected.Add(resolved);
}

Console.WriteLine($"Running {selected.Count} notebook(s) in {(quick ? "QUICK" : "full")} mode, timeout {timeout.TotalMinutes:F0} min each; outputs under {artifacts}");
var failed = 0;
foreach (var nb in selected)
{
    Console.WriteLine($"... {Path.GetFileNameWithoutExtension(nb)}");
    var result = NotebookRun.Execute(nb, artifacts, timeout);
    Console.WriteLine(result.Summary());
    if (!result.Passed) failed++;
}
Console.WriteLine(failed == 0 ? $"All {selected.Count} notebook(s) passed." : $"{failed} of {selected.Count} notebook(s) failed.");
var siteBuilt = SiteCommand.BuildAfterRun(root, artifacts);
return failed == 0 && siteBuilt ? 0 : 1;

string? Resolve(string n)
{
    if (File.Exists(n)) return Path.GetFullPath(n);
    var stem = n.EndsWith(".ipynb") ? n[..^6] : n;
    var exact = available.FirstOrDefault(p => Path.GetFileNameWithoutExtension(p) == stem);
    if (exact is not null) return exact;
    var prefixed = available.Where(p => Path.GetFileName(p).StartsWith(stem, StringComparison.Ordinal)).ToList();
    return prefixed.Count == 1 ? prefixed[0] : null;
}

static string FindRoot()
{
    foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "global.json")) && Directory.Exists(Path.Combine(d.FullName, "notebooks")))
                return d.FullName;
    throw new DirectoryNotFoundException("repository root (global.json + notebooks/) not found");
}
