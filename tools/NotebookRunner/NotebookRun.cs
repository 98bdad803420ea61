using System.Diagnostics;
using System.Text.Json;
using ScienceOfDL.Notebooks;

namespace ScienceOfDL.NotebookRunner;

public sealed record CellFailure(int Cell, int CodeCell, string Error, string Message);

/// <summary>What one headless run did. <see cref="Failures"/> are the cells that failed on their own; cells the session
/// skipped after the first failure are in <see cref="Skipped"/> (cell numbers over all cells), so the report leads with
/// the error that matters.</summary>
public sealed record NotebookResult(
    string Name,
    string OutputPath,
    TimeSpan Elapsed,
    bool TimedOut,
    int ExitCode,
    IReadOnlyList<CellFailure> Failures,
    string? Problem,
    string? HungCell = null,
    IReadOnlyList<int>? Skipped = null
)
{
    public bool Passed =>
        !TimedOut && ExitCode == 0 && Failures.Count == 0 && Problem is null && (Skipped?.Count ?? 0) == 0;

    public string Summary()
    {
        if (Passed)
            return $"PASS {Name} ({Elapsed.TotalSeconds:F0} s) -> {OutputPath}";
        var lines = new List<string> { $"FAIL {Name} ({Elapsed.TotalSeconds:F0} s) -> {OutputPath}" };
        if (TimedOut)
            lines.Add($"  timed out after {Elapsed.TotalSeconds:F0} s" + (HungCell is null ? "" : $", in {HungCell}"));
        if (Problem is not null)
            lines.Add("  " + Problem);
        foreach (var f in Failures)
            lines.Add($"  cell {f.Cell} (code cell {f.CodeCell}): {f.Error}: {f.Message}");
        if (Skipped is { Count: > 0 } skipped)
            lines.Add(
                $"  {skipped.Count} later cell{(skipped.Count == 1 ? " was" : "s were")} skipped (cell"
                    + $"{(skipped.Count == 1 ? $" {skipped[0]}" : $"s {skipped[0]}-{skipped[^1]}")}), so the error above "
                    + "is the first one"
            );
        if (!TimedOut && Failures.Count == 0 && Problem is null && Skipped is not { Count: > 0 })
            lines.Add($"  dotnet-repl exited with {ExitCode}");
        return string.Join(Environment.NewLine, lines);
    }
}

/// <summary>
/// Runs one notebook headless with dotnet-repl (pinned in .config/dotnet-tools.json), in the notebook's own folder as
/// VS Code would, and reads the executed copy back to name each failing cell and its error. Everything the run writes
/// stays under its own artifacts folder: the executed copy, charts, the kernel's log, the cell log (which cell was
/// running when a timeout struck) and, in QUICK mode, its results. A run holds that folder's lock from start to end:
/// a second run of the same notebook into the same folder waits for it instead of deleting its live files. The
/// executed copy, charts and logs are replaced by each run; results/ is kept, so identical settings reuse what an
/// earlier run saved and a killed run resumes.
/// </summary>
public static class NotebookRun
{
    /// <summary>The lock file a run holds in its notebook's artifacts folder.</summary>
    public const string LockFile = ".run.lock";

    public static NotebookResult Execute(
        string notebookPath,
        string artifactsRoot,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null,
        IReadOnlyDictionary<string, string>? overrides = null
    )
    {
        overrides ??= new Dictionary<string, string>();
        var name = Path.GetFileNameWithoutExtension(notebookPath);
        var outDir = Path.GetFullPath(Path.Combine(artifactsRoot, name));
        Directory.CreateDirectory(outDir);
        var outputPath = Path.Combine(outDir, name + ".ipynb");
        var logPath = Path.Combine(outDir, "dotnet-repl.log");
        using var held = FolderLock.Take(Path.Combine(outDir, LockFile), timeout, () =>
            Console.WriteLine($"  waiting: another run is writing {outDir}; this one starts when it ends")
        );
        if (held is null)
            return new NotebookResult(
                name,
                outputPath,
                TimeSpan.Zero,
                false,
                -1,
                [],
                $"another run held {outDir} for the whole timeout ({timeout.TotalSeconds:F0} s); nothing ran. "
                    + "Wait for it, or give this run its own --artifacts folder."
            );
        // Only this run's transient outputs are replaced; results/ (and anything else there) stays.
        var chartsDir = Path.Combine(outDir, "charts");
        var partialDir = Path.Combine(outDir, ".partial");
        var cellLog = Path.Combine(outDir, "cells.log");
        foreach (var file in new[] { outputPath, logPath, cellLog })
            File.Delete(file);
        foreach (var dir in new[] { chartsDir, partialDir })
            if (Directory.Exists(dir))
                Directory.Delete(dir, recursive: true);
        // dotnet-repl writes its copy here; it is annotated and moved into place whole, so a site build by another
        // runner never reads half of it.
        var partialPath = Path.Combine(partialDir, name + ".ipynb");
        Directory.CreateDirectory(partialDir);

        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(notebookPath))!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (
            var a in new[]
            {
                "tool",
                "run",
                "dotnet-repl",
                "--",
                "--run",
                Path.GetFullPath(notebookPath),
                "--exit-after-run",
                "--output-path",
                partialPath,
            }
        )
            psi.ArgumentList.Add(a);
        psi.Environment["SODL_HEADLESS"] = "1";
        psi.Environment["SODL_ARTIFACTS_DIR"] = chartsDir;
        // Saved chart pages load the site's shared plotly.js instead of inlining 4.5 MB each.
        psi.Environment["SODL_PLOTLY_SRC"] = Site.SiteAssets.SharedPlotlyFor(artifactsRoot, chartsDir);
        psi.Environment[CellLog.Variable] = cellLog;
        psi.Environment[NotebookParameters.Variable] = string.Join("\n", overrides.Select(o => $"{o.Key}={o.Value}"));
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
            psi.Environment[k] = v;
        var quick = RunMode.Parse(psi.Environment.TryGetValue(RunMode.QuickVariable, out var q) ? q : null);
        if (quick)
            psi.Environment["SODL_RESULTS_DIR"] = Path.Combine(outDir, "results");

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        using var log = new StreamWriter(logPath) { AutoFlush = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                lock (log)
                    log.WriteLine(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                lock (log)
                    log.WriteLine(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var finished = process.WaitForExit(timeout);
        if (!finished)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException) { }
            process.WaitForExit();
        }
        else
            process.WaitForExit(); // drain the output readers
        clock.Stop();

        var failures = new List<CellFailure>();
        string? problem = null;
        if (File.Exists(partialPath))
        {
            failures.AddRange(ReadFailures(partialPath));
            NotebookFile.Annotate(partialPath, outputPath, quick ? "QUICK" : "full", overrides);
            Directory.Delete(partialDir, recursive: true);
        }
        else
            problem =
                $"no executed notebook was written"
                + (
                    finished && HungCell(notebookPath, cellLog) is { } died
                        ? $": the kernel exited with {process.ExitCode} while running {died}"
                        : ""
                )
                + $"; see {logPath}";
        var skipped = failures
            .Where(f => f.Message.StartsWith(CellLog.Skipped, StringComparison.Ordinal))
            .Select(f => f.Cell)
            .ToList();
        return new NotebookResult(
            name,
            outputPath,
            clock.Elapsed,
            !finished,
            finished ? process.ExitCode : -1,
            failures.Where(f => !skipped.Contains(f.Cell)).ToList(),
            problem,
            finished ? null : HungCell(notebookPath, cellLog),
            skipped
        );
    }

    /// <summary>"cell N (code cell M): first line" of the cell the cell log says was running, if any.</summary>
    static string? HungCell(string notebookPath, string cellLog)
    {
        var id = CellLog.Unfinished(cellLog);
        if (id is null)
            return null;
        var cell = NotebookFile.CodeCells(notebookPath).FirstOrDefault(c => CellLog.Id(c.Source) == id);
        return cell.Source is null
            ? "a cell not in the notebook (an injected one)"
            : $"cell {cell.Cell} (code cell {cell.CodeCell}): {cell.Source.Split('\n')[0].Trim()}";
    }

    /// <summary>Error outputs of an executed notebook, by cell number (1-based, all cells) and code-cell
    /// number.</summary>
    public static List<CellFailure> ReadFailures(string executedNotebook)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(executedNotebook));
        var failures = new List<CellFailure>();
        int cellNo = 0,
            codeNo = 0;
        foreach (var cell in doc.RootElement.GetProperty("cells").EnumerateArray())
        {
            cellNo++;
            if (cell.GetProperty("cell_type").GetString() != "code")
                continue;
            codeNo++;
            if (!cell.TryGetProperty("outputs", out var outputs))
                continue;
            foreach (var o in outputs.EnumerateArray())
            {
                if (o.GetProperty("output_type").GetString() != "error")
                    continue;
                var ename = o.TryGetProperty("ename", out var e) ? e.GetString() ?? "" : "";
                var evalue = o.TryGetProperty("evalue", out var v) ? v.GetString() ?? "" : "";
                failures.Add(new CellFailure(cellNo, codeNo, ename, FirstLines(evalue, 6)));
            }
        }
        return failures;
    }

    static readonly System.Text.RegularExpressions.Regex StackFrame = new(
        @"^\s+(at \S+\(|--- End of )",
        System.Text.RegularExpressions.RegexOptions.Compiled
    );

    /// <summary>The error's message without its stack trace (the executed copy keeps the whole of it).</summary>
    static string FirstLines(string s, int n)
    {
        var lines = s.Split('\n').Where(l => !StackFrame.IsMatch(l)).ToArray();
        return string.Join("\n    ", lines.Take(n)) + (lines.Length > n ? "\n    ..." : "");
    }
}
