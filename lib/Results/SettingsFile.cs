using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScienceOfDL.Results;

/// <summary>
/// Reads the key of a saved result's <c>STEM.settings.json</c>. A file that is not JSON or has no "key" is refused
/// with its path and what to do, never a bare parser error. No dependencies: the notebook runner compiles this file
/// too, to check a results folder before a run.
/// </summary>
public static class SettingsFile
{
    public const string Extension = ".settings.json";

    /// <summary>The settings JSON the file was saved under (its "key").</summary>
    public static string Key(string path)
    {
        try
        {
            if (
                JsonNode.Parse(File.ReadAllText(path)) is JsonObject o
                && o["key"] is JsonValue v
                && v.TryGetValue<string>(out var key)
            )
                return key;
            throw Unreadable(path, "it has no \"key\" (the settings it was saved under)");
        }
        catch (JsonException e)
        {
            throw Unreadable(path, e.Message);
        }
    }

    /// <summary>Every settings file in <paramref name="folder"/> that cannot be read, with why (none: an empty
    /// list).</summary>
    public static List<string> Problems(string folder)
    {
        var problems = new List<string>();
        if (!Directory.Exists(folder))
            return problems;
        foreach (var path in Directory.EnumerateFiles(folder, "*" + Extension).Order(StringComparer.Ordinal))
        {
            try
            {
                Key(path);
            }
            catch (InvalidDataException e)
            {
                problems.Add(e.Message);
            }
        }
        return problems;
    }

    static InvalidDataException Unreadable(string path, string why)
    {
        var stem = Path.GetFileName(path)[..^Extension.Length];
        return new InvalidDataException(
            $"{path} is not a readable settings file ({why}). Restore it (for "
                + $"data/results: git checkout), or delete the files {stem}.* to compute that result again."
        );
    }
}
