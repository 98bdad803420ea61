using System.Text.Json;

namespace ScienceOfDL.NotebookRunner.Site;

/// <summary>One output of a code cell, reduced to what a page shows: HTML, plain text, or an error.</summary>
public sealed record CellOutput(CellOutputKind Kind, string Content);

public enum CellOutputKind
{
    Html,
    Text,
    Error,
}

public sealed record NotebookCell(bool IsCode, string Source, IReadOnlyList<CellOutput> Outputs);

/// <summary>
/// An .ipynb read for the site: cells in order with their outputs. <see cref="Executed"/> is false when the page is
/// built from the committed notebook because no run has written an executed copy yet.
/// </summary>
public sealed record ExecutedNotebook(string Name, IReadOnlyList<NotebookCell> Cells, bool Executed, DateTime? RunAt)
{
    public static ExecutedNotebook Load(string path, bool executed)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var cells = new List<NotebookCell>();
        foreach (var cell in doc.RootElement.GetProperty("cells").EnumerateArray())
        {
            var isCode = cell.GetProperty("cell_type").GetString() == "code";
            var outputs = new List<CellOutput>();
            if (isCode && cell.TryGetProperty("outputs", out var outs))
                foreach (var o in outs.EnumerateArray())
                    if (ReadOutput(o) is { } output)
                        outputs.Add(output);
            cells.Add(new NotebookCell(isCode, Text(cell.GetProperty("source")), outputs));
        }
        return new ExecutedNotebook(
            Path.GetFileNameWithoutExtension(path),
            cells,
            executed,
            executed ? File.GetLastWriteTimeUtc(path) : null
        );
    }

    static CellOutput? ReadOutput(JsonElement o)
    {
        switch (o.GetProperty("output_type").GetString())
        {
            case "stream":
                return new CellOutput(CellOutputKind.Text, Text(o.GetProperty("text")));
            case "error":
                var name = o.TryGetProperty("ename", out var e) ? e.GetString() : "";
                var value = o.TryGetProperty("evalue", out var v) ? v.GetString() : "";
                return new CellOutput(CellOutputKind.Error, $"{name}: {value}");
            default: // display_data, execute_result
                if (!o.TryGetProperty("data", out var data))
                    return null;
                if (data.TryGetProperty("text/html", out var html))
                    return new CellOutput(CellOutputKind.Html, Text(html));
                if (data.TryGetProperty("image/png", out var png))
                    return new CellOutput(
                        CellOutputKind.Html,
                        $"<img alt=\"output\" src=\"data:image/png;base64,{Text(png).Trim()}\">"
                    );
                if (data.TryGetProperty("text/plain", out var plain))
                    return new CellOutput(CellOutputKind.Text, Text(plain));
                return null;
        }
    }

    /// <summary>nbformat stores multi-line strings either whole or as a list of lines.</summary>
    static string Text(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array
            ? string.Concat(e.EnumerateArray().Select(x => x.GetString()))
            : e.GetString() ?? "";
}
