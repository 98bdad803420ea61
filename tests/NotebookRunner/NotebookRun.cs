using System.Diagnostics;
using System.Text.Json;
using ScienceOfDL.Notebooks;

namespace ScienceOfDL.NotebookRunner;

public sealed record CellFailure(int Cell, int CodeCell, string Error, string Message);

public sealed record NotebookResult(string Name, string OutputPath, TimeSpan Elapsed, bool TimedOut, int ExitCode,
    IReadOnlyList<CellFailure> Failures, string? Problem, string? HungCell = null)
{
    public bool Passed => !TimedOut && ExitCode == 0 && Failures.Count == 0 && Problem is null;

    public string Summary()
    {
        if (Passed) return $"PASS {Name} ({Elapsed.TotalSeconds:F0} s) -> {OutputPath}";
        var lines = new List<string> { $"FAIL {Name} ({Elapsed.TotalSeconds:F0} s) -> {OutputPath}" };
        if (TimedOut) lines.Add($"  timed out after {Elapsed.TotalSeconds:F0} s"
            + (HungCell is null ? "" : $", in {HungCell}"));
        if (Problem is not null) lines.Add("  " + Problem);
        foreach (var f in Failures)
            lines.Add($"  cell {f.Cell} (code cell {f.CodeCell}): {f.Error}: {f.Message}");
        if (!TimedOut && Failures.Count == 0 && Problem is null) lines.Add($"  dotnet-repl exited with {ExitCode}");
        return string.Join(Environment.NewLine, lines);
    }
}

/// <summary>
/// Runs one notebook headless with dotnet-repl (pinned in .config/dotnet-tools.json), in the notebook's own folder as
/// VS Code would, and reads the executed copy back to name each failing cell and its error. Everything the run writes
/// stays under its own artifacts folder: the executed copy, charts, the kernel's log, the cell log (which cell was
/// running when a timeout struck) and, in QUICK mode, its results, so two runs with different folders never share
/// files.
/// </summary>
public static class NotebookRun
{
    public static NotebookResult Execute(string notebookPath, string artifactsRoot, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null, IReadOnlyDictionary<string, string>? overrides = null)
    {
        overrides ??= new Dictionary<string, string>();
        var name = Path.GetFileNameWithoutExtension(notebookPath);
        var outDir = Path.GetFullPath(Path.Combine(artifactsRoot, name));
        if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true);
        Directory.CreateDirectory(outDir);
        var outputPath = Path.Combine(outDir, name + ".ipynb");
        var logPath = Path.Combine(outDir, "dotnet-repl.log");

        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(notebookPath))!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { "tool", "run", "dotnet-repl", "--", "--run", Path.GetFullPath(notebookPath),
            "--exit-after-run", "--output-path", outputPath })
            psi.ArgumentList.Add(a);
        psi.Environment["SODL_HEADLESS"] = "1";
        var chartsDir = Path.Combine(outDir, "charts");
        psi.Environment["SODL_ARTIFACTS_DIR"] = chartsDir;
        // Saved chart pages load the site's shared plotly.js instead of inlining 4.5 MB each.
        psi.Environment["SODL_PLOTLY_SRC"] = Site.SiteAssets.SharedPlotlyFor(artifactsRoot, chartsDir);
        var cellLog = Path.Combine(outDir, "cells.log");
        psi.Environment[CellLog.Variable] = cellLog;
        psi.Environment[NotebookParameters.Variable] = string.Join("\n", overrides.Select(o => $"{o.Key}={o.Value}"));
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        var quick = RunMode.Parse(psi.Environment.TryGetValue(RunMode.QuickVariable, out var q) ? q : null);
        if (quick) psi.Environment["SODL_RESULTS_DIR"] = Path.Combine(outDir, "results");

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        using var log = new StreamWriter(logPath) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var finished = process.WaitForExit(timeout);
        if (!finished)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.WaitForExit();
        }
        else process.WaitForExit(); // drain the output readers
        clock.Stop();

        var failures = new List<CellFailure>();
        string? problem = null;
        if (File.Exists(outputPath))
        {
            failures.AddRange(ReadFailures(outputPath));
            NotebookFile.Annotate(outputPath, quick ? "QUICK" : "full", overrides);
        }
        else problem = $"no executed notebook was written; see {logPath}";
        return new NotebookResult(name, outputPath, clock.Elapsed, !finished, finished ? process.ExitCode : -1,
            failures, problem,
            finished ? null : HungCell(notebookPath, cellLog));
    }

    /// <summary>"cell N (code cell M): first line" of the cell the cell log says was running, if any.</summary>
    static string? HungCell(string notebookPath, string cellLog)
    {
        var id = CellLog.Unfinished(cellLog);
        if (id is null) return null;
        var cell = NotebookFile.CodeCells(notebookPath).FirstOrDefault(c => CellLog.Id(c.Source) == id);
        return cell.Source is null ? "a cell not in the notebook (an injected one)"
            : $"cell {cell.Cell} (code cell {cell.CodeCell}): {cell.Source.Split('\n')[0].Trim()}";
    }

    /// <summary>Error outputs of an executed notebook, by cell number (1-based, all cells) and code-cell
    /// number.</summary>
    public static List<CellFailure> ReadFailures(string executedNotebook)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(executedNotebook));
        var failures = new List<CellFailure>();
        int cellNo = 0, codeNo = 0;
        foreach (var cell in doc.RootElement.GetProperty("cells").EnumerateArray())
        {
            cellNo++;
            if (cell.GetProperty("cell_type").GetString() != "code") continue;
            codeNo++;
            if (!cell.TryGetProperty("outputs", out var outputs)) continue;
            foreach (var o in outputs.EnumerateArray())
            {
                if (o.GetProperty("output_type").GetString() != "error") continue;
                var ename = o.TryGetProperty("ename", out var e) ? e.GetString() ?? "" : "";
                var evalue = o.TryGetProperty("evalue", out var v) ? v.GetString() ?? "" : "";
                failures.Add(new CellFailure(cellNo, codeNo, ename, FirstLines(evalue, 6)));
            }
        }
        return failures;
    }

    static string FirstLines(string s, int n)
    {
        var lines = s.Split('\n');
        return string.Join("\n    ", lines.Take(n)) + (lines.Length > n ? "\n    ..." : "");
    }
}
