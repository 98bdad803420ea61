using ScienceOfDL.Notebooks;

namespace ScienceOfDL.NotebookRunner;

/// <summary>The runner's command-line decisions that need no notebook run: which notebook a name means, which
/// parameter overrides apply, whether the artifacts folder can be written, and how a timeout reads.</summary>
public static class CommandLine
{
    /// <summary>A timeout as a reader would say it: "1 s", "90 s", "15 min", "2 min 5 s", "4 h".</summary>
    public static string Describe(TimeSpan timeout)
    {
        var s = (long)Math.Round(timeout.TotalSeconds);
        return s < 120 ? $"{s} s"
            : s % 3600 == 0 ? $"{s / 3600} h"
            : s % 60 == 0 ? $"{s / 60} min"
            : $"{s / 60} min {s % 60} s";
    }

    /// <summary>The notebook a name means: a path, a file name in notebooks/ (with or without .ipynb) or a prefix that
    /// only one of them has. Otherwise an error that lists what the name matched, or what there is.</summary>
    public static (string? Path, string? Error) Resolve(string name, IReadOnlyList<string> available)
    {
        if (File.Exists(name))
            return (System.IO.Path.GetFullPath(name), null);
        var stem = name.EndsWith(".ipynb", StringComparison.Ordinal) ? name[..^6] : name;
        var exact = available.FirstOrDefault(p => System.IO.Path.GetFileNameWithoutExtension(p) == stem);
        if (exact is not null)
            return (exact, null);
        var prefixed = available
            .Where(p => System.IO.Path.GetFileName(p).StartsWith(stem, StringComparison.Ordinal))
            .ToList();
        if (prefixed.Count == 1)
            return (prefixed[0], null);
        string Names(IEnumerable<string> paths) =>
            string.Join(", ", paths.Select(System.IO.Path.GetFileNameWithoutExtension));
        return prefixed.Count > 1
            ? (
                null,
                $"'{name}' is ambiguous: {prefixed.Count} notebooks begin with it ({Names(prefixed)}); "
                    + "give more of the name."
            )
            : (null, $"no notebook '{name}'. Available: {Names(available)}");
    }

    /// <summary>The overrides of one run: <c>SODL_PARAMS</c> from the environment merged with the <c>-p</c> options, so
    /// neither is dropped without a word. A name in both with different values is refused (which one was meant?).
    /// <paramref name="fromEnvironment"/> gets the names that came from <c>SODL_PARAMS</c>.</summary>
    public static Dictionary<string, string> Overrides(
        string? environment,
        IEnumerable<string> options,
        out HashSet<string> fromEnvironment
    )
    {
        Dictionary<string, string> env;
        try
        {
            env = NotebookParameters.ParseOverrides(environment);
        }
        catch (FormatException e)
        {
            throw new FormatException($"{NotebookParameters.Variable}: {e.Message}");
        }
        var given = NotebookParameters.ParseOverrides(string.Join("\n", options));
        fromEnvironment = env.Keys.Where(k => !given.ContainsKey(k)).ToHashSet();
        var merged = new Dictionary<string, string>(env);
        foreach (var (name, value) in given)
        {
            if (env.TryGetValue(name, out var other) && other != value)
                throw new ArgumentException(
                    $"parameter '{name}' is given twice: {name}={other} in "
                        + $"{NotebookParameters.Variable} and -p {name}={value}. Give it once (unset "
                        + $"{NotebookParameters.Variable} or drop the -p)."
                );
            merged[name] = value;
        }
        return merged;
    }

    /// <summary>Null if <paramref name="folder"/> exists or can be made, and a file can be written in it; else why
    /// not.</summary>
    public static string? CannotWrite(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var probe = System.IO.Path.Combine(folder, $".write-check-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return null;
        }
        catch (Exception e)
            when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return $"cannot write to {folder}: {e.Message}";
        }
    }
}
