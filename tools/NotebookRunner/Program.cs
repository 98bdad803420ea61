using ScienceOfDL;
using ScienceOfDL.NotebookRunner;
using ScienceOfDL.NotebookRunner.Site;
using ScienceOfDL.Notebooks;
using ScienceOfDL.Results;

// Usage: NotebookRunner [--timeout SECONDS] [--artifacts DIR] [-p name=value ...] [name-or-path ...]
// Runs the named notebooks (default: every notebooks/*.ipynb) headless and exits non-zero if any cell fails.
// Exit codes: 0 all passed, 1 a notebook failed, 2 the command line, a parameter, the artifacts folder or a saved
// settings file was refused (nothing ran).
const string Usage = """
    run-notebooks.sh [--timeout SECONDS] [--artifacts DIR] [-p name=value ...] [notebook ...]
      notebook: a file name in notebooks/ (with or without .ipynb), a unique prefix such as 04, or a path.
      -p name=value: override a knob of the notebook's parameters cell (repeatable; arrays as 1,3). The names and types
                     are checked before anything runs; the executed copy records the overrides. SODL_PARAMS="a=1; b=2"
                     in the environment adds overrides the same way (a name in both must have one value).
      SODL_QUICK=1 selects QUICK mode; SODL_NOTEBOOK_TIMEOUT sets the per-notebook timeout in seconds.
    """;
var root = FindRoot();
if (args.Length > 0 && args[0] == "site")
    return SiteCommand.Run(root, args[1..]);
var artifacts = Path.Combine(root, "artifacts");
bool quick;
try
{
    quick = RunMode.IsQuick;
}
catch (ArgumentException e)
{
    return Refuse(e.Message);
}
var timeout = TimeSpan.FromSeconds(quick ? 900 : 4 * 3600);
if (Environment.GetEnvironmentVariable("SODL_NOTEBOOK_TIMEOUT") is { Length: > 0 } envTimeout)
{
    if (!TryParseSeconds(envTimeout, out timeout))
        return Refuse($"SODL_NOTEBOOK_TIMEOUT={envTimeout} is not a whole number of seconds.");
}
var names = new List<string>();
var overrideTexts = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    string? Value() => i + 1 < args.Length ? args[++i] : null;
    switch (args[i])
    {
        case "--timeout":
            var t = Value();
            if (t is null || !TryParseSeconds(t, out timeout))
                return Refuse($"--timeout needs a whole number of seconds, not '{t}'.");
            break;
        case "--artifacts":
            if (Value() is not { } dir)
                return Refuse("--artifacts needs a folder.");
            try
            {
                artifacts = Path.GetFullPath(dir);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
            {
                return Stop($"--artifacts {dir} is not a usable path: {e.Message}");
            }
            break;
        case "-p" or "--parameter":
            if (Value() is not { } p || !p.Contains('='))
                return Refuse($"{args[i - 1]} needs name=value.");
            overrideTexts.Add(args[i]);
            break;
        case "-h" or "--help":
            Console.WriteLine(Usage);
            return 0;
        default:
            if (args[i].StartsWith('-'))
                return Refuse($"unknown option {args[i]}.");
            names.Add(args[i]);
            break;
    }
}

var notebooksDir = Path.Combine(root, "notebooks");
var available = Directory.GetFiles(notebooksDir, "*.ipynb").OrderBy(p => p, StringComparer.Ordinal).ToList();
var selected = new List<string>();
foreach (var n in names.Count > 0 ? names : available.Select(Path.GetFileNameWithoutExtension)!)
{
    var (resolved, problem) = CommandLine.Resolve(n!, available);
    if (resolved is null)
        return Stop(problem!);
    selected.Add(resolved);
}

Dictionary<string, string> overrides;
HashSet<string> fromEnvironment;
try
{
    overrides = CommandLine.Overrides(
        Environment.GetEnvironmentVariable(NotebookParameters.Variable),
        overrideTexts,
        out fromEnvironment
    );
    foreach (var nb in selected.Where(_ => overrides.Count > 0))
    {
        var declared = NotebookFile.Parameters(nb)
            ?? throw new ArgumentException($"{Path.GetFileName(nb)} has no parameters cell to override.");
        // The environment's overrides first, so an error there says where the value came from.
        foreach (
            var part in new[]
            {
                overrides.Where(o => fromEnvironment.Contains(o.Key)),
                overrides.Where(o => !fromEnvironment.Contains(o.Key)),
            }
        )
        {
            try
            {
                NotebookParameters.Assignments(declared, part.ToDictionary());
            }
            catch (ArgumentException e)
            {
                var source = part.Any(o => fromEnvironment.Contains(o.Key))
                    ? $" (from {NotebookParameters.Variable} in the environment)"
                    : "";
                throw new ArgumentException($"{Path.GetFileName(nb)}{source}: {e.Message}");
            }
        }
    }
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    return Stop(e.Message);
}

// Before anything runs: the artifacts folder must take files, and every saved settings file this run may read must
// parse (a damaged one would otherwise stop a notebook half-way with a parser error).
if (CommandLine.CannotWrite(artifacts) is { } unwritable)
    return Stop($"the artifacts folder is not usable: {unwritable}");
var resultFolders = quick
    ? selected.Select(nb => Path.Combine(artifacts, Path.GetFileNameWithoutExtension(nb), "results"))
    : [Path.Combine(root, "data", "results")];
if (resultFolders.SelectMany(SettingsFile.Problems).FirstOrDefault() is { } damaged)
    return Stop(damaged);

Console.WriteLine(
    $"Running {selected.Count} notebook(s) in {(quick ? "QUICK"
    : "full")} mode, timeout {CommandLine.Describe(timeout)} each"
        + (
            overrides.Count > 0
                ? $", parameters {string.Join(", ", overrides.Select(o => $"{o.Key}={o.Value}"
                          + (fromEnvironment.Contains(o.Key) ? $" (from {NotebookParameters.Variable})" : "")))}"
                : ""
        )
        + $"; outputs under {artifacts}"
);
var failed = 0;
foreach (var nb in selected)
{
    Console.WriteLine($"... {Path.GetFileNameWithoutExtension(nb)}");
    var result = NotebookRun.Execute(nb, artifacts, timeout, overrides: overrides);
    Console.WriteLine(result.Summary());
    if (!result.Passed)
        failed++;
}
Console.WriteLine(
    failed == 0 ? $"All {selected.Count} notebook(s) passed." : $"{failed} of {selected.Count} notebook(s) failed."
);
var siteBuilt = SiteCommand.BuildAfterRun(root, artifacts);
return failed == 0 && siteBuilt ? 0 : 1;

// A malformed command line: the error and the usage.
static int Refuse(string message)
{
    Console.Error.WriteLine($"error: {message}");
    Console.Error.WriteLine(Usage);
    return 2;
}

// A well-formed command that cannot run as asked: the one line that says why.
static int Stop(string message)
{
    Console.Error.WriteLine($"error: {message}");
    return 2;
}

static bool TryParseSeconds(string text, out TimeSpan timeout)
{
    var ok = int.TryParse(text, out var seconds) && seconds > 0;
    timeout = TimeSpan.FromSeconds(ok ? seconds : 1);
    return ok;
}

static string FindRoot()
{
    foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            if (
                File.Exists(Path.Combine(d.FullName, "global.json"))
                && Directory.Exists(Path.Combine(d.FullName, "notebooks"))
            )
                return d.FullName;
    throw new DirectoryNotFoundException("repository root (global.json + notebooks/) not found");
}
