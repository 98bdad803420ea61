namespace ScienceOfDL;

/// <summary>Where the repository's folders are, found from anywhere inside it (notebooks, tests, tools).</summary>
public static class Repository
{
    /// <summary>Walks up from <paramref name="start"/> (default: the current directory, then this assembly's folder)
    /// to the folder holding global.json and lib/.</summary>
    public static string Root(string? start = null)
    {
        foreach (
            var origin in start is null
                ? new[]
                {
                    Directory.GetCurrentDirectory(),
                    AppContext.BaseDirectory,
                    Path.GetDirectoryName(typeof(Repository).Assembly.Location) ?? "",
                }
                : new[] { start }
        )
        {
            for (var dir = new DirectoryInfo(origin); dir is not null; dir = dir.Parent)
                if (
                    File.Exists(Path.Combine(dir.FullName, "global.json"))
                    && Directory.Exists(Path.Combine(dir.FullName, "lib"))
                )
                    return dir.FullName;
        }
        throw new DirectoryNotFoundException(
            $"Could not find the repository root (a folder with global.json and lib/) above '{start
                ?? Directory.GetCurrentDirectory()}'."
        );
    }

    public static string DataDir => Path.Combine(Root(), "data");
    public static string ResultsDir => Path.Combine(DataDir, "results");
    public static string NotebooksDir => Path.Combine(Root(), "notebooks");
}
