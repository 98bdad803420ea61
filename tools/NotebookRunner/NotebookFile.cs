using System.Text.Json;
using System.Text.Json.Nodes;
using ScienceOfDL.Notebooks;
using ScienceOfDL.Results;

namespace ScienceOfDL.NotebookRunner;

/// <summary>What the runner reads from an .ipynb without running it: its code cells, and its parameters cell.</summary>
public static class NotebookFile
{
    /// <summary>(cell number, 1-based over all cells; code-cell number; source; tags) of every code cell.</summary>
    public static List<(int Cell, int CodeCell, string Source, string[] Tags)> CodeCells(string path)
    {
        var doc = JsonNode.Parse(File.ReadAllText(path))!;
        var result = new List<(int, int, string, string[])>();
        int cellNo = 0,
            codeNo = 0;
        foreach (var cell in doc["cells"]!.AsArray())
        {
            cellNo++;
            if (cell!["cell_type"]!.GetValue<string>() != "code")
                continue;
            codeNo++;
            var source = cell["source"] is JsonArray lines
                ? string.Concat(lines.Select(l => l!.GetValue<string>()))
                : cell["source"]?.GetValue<string>() ?? "";
            var tags = cell["metadata"]?["tags"] is JsonArray t ? t.Select(x => x!.GetValue<string>()).ToArray() : [];
            result.Add((cellNo, codeNo, source, tags));
        }
        return result;
    }

    /// <summary>The parameters declared by the cell tagged "parameters" (null if the notebook has none).</summary>
    public static List<NotebookParameter>? Parameters(string path)
    {
        var cell = CodeCells(path).FirstOrDefault(c => c.Tags.Contains("parameters"));
        return cell.Source is null ? null : NotebookParameters.Parse(cell.Source);
    }

    /// <summary>Records the run's mode and parameter overrides in the executed copy's metadata (<c>sodl</c>), writing
    /// it to <paramref name="to"/> whole (through a temporary file), so a reader never sees half of it.</summary>
    public static void Annotate(string from, string to, string mode, IReadOnlyDictionary<string, string> overrides)
    {
        var doc = JsonNode.Parse(File.ReadAllText(from))!;
        var metadata = doc["metadata"] as JsonObject ?? (JsonObject)(doc["metadata"] = new JsonObject());
        metadata["sodl"] = new JsonObject
        {
            ["mode"] = mode,
            ["parameters"] = new JsonObject(
                overrides.Select(o => KeyValuePair.Create(o.Key, (JsonNode?)JsonValue.Create(o.Value)))
            ),
        };
        AtomicFile.WriteText(to, doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
