using System.Runtime.InteropServices;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using ScienceOfDL.Results;
using TorchSharp;
using static Microsoft.DotNet.Interactive.Kernel;

namespace ScienceOfDL.Notebooks;

/// <summary>
/// What every notebook's setup cell does: find the repository, choose the device and the results folder, register chart
/// and table rendering, apply parameter overrides after the parameters cell, and say which mode (QUICK or full) and
/// machine this run uses.
/// </summary>
public sealed record NotebookSession(string Name, string Root, torch.Device Device, bool Quick, ResultsStore Results)
{
    public static bool IsHeadless => Environment.GetEnvironmentVariable("SODL_HEADLESS") == "1";

    /// <summary>The overrides applied to this notebook's parameters cell ("name = value"), for outputs that record
    /// them.</summary>
    public static IReadOnlyList<string> Overrides { get; private set; } = [];

    public static NotebookSession Start(string name)
    {
        CpuTuning.Apply(); // before any tensor work
        var root = Repository.Root();
        ChartDisplay.Register();
        Html.Register();
        NotebookFormatters.Register();
        var quick = RunMode.IsQuick;
        var session = new NotebookSession(
            name,
            root,
            Devices.Best(),
            quick,
            new ResultsStore(ResultsFolder(root, quick)) { Notices = new Progress<string>(s => display(s)) }
        );
        InstallMiddleware();
        display(new Html(ChartDisplay.LoaderHtml() + session.ReportHtml()), HtmlFormatter.MimeType);
        return session;
    }

    /// <summary>Full mode: data/results (the committed paper-scale results). QUICK: the folder the runner gives this
    /// run (<c>SODL_RESULTS_DIR</c>, inside its own artifacts), else artifacts/quick-results.</summary>
    static string ResultsFolder(string root, bool quick) =>
        !quick ? Path.Combine(root, "data", "results")
        : Environment.GetEnvironmentVariable("SODL_RESULTS_DIR") is { Length: > 0 } dir ? dir
        : Path.Combine(root, "artifacts", "quick-results");

    static bool _installed;

    /// <summary>
    /// Around every cell: logs its start and end to <c>SODL_CELL_LOG</c> (so the runner can say which cell hung), and
    /// after the parameters cell assigns the overrides from <c>SODL_PARAMS</c>. A bad override fails that cell and
    /// skips every later one, so nothing runs on settings nobody asked for. Headless (the runner), any failing cell
    /// does the same: its error is the one the reader sees, not the follow-on errors of cells that needed its
    /// results. Editors stop a Run All at a failing cell themselves, and there a fixed cell must run again.
    /// </summary>
    static void InstallMiddleware()
    {
        if (_installed || Kernel.Root is null)
            return;
        _installed = true;
        var cellLog = Environment.GetEnvironmentVariable(CellLog.Variable);
        string? stopped = null;
        Kernel.Root.AddMiddleware(
            async (command, context, next) =>
            {
                if (command is not SubmitCode cell)
                {
                    await next(command, context);
                    return;
                }
                if (stopped is not null)
                {
                    context.Fail(command, message: CellLog.Skipped + stopped);
                    return;
                }
                var id = CellLog.Id(cell.Code);
                if (cellLog is not null)
                    File.AppendAllText(cellLog, $"start {id}\n");
                var failure = new FailureWatch();
                using (context.KernelEvents.Subscribe(failure))
                    await next(command, context);
                if (cellLog is not null)
                    File.AppendAllText(cellLog, $"end {id}\n");
                if (failure.Message is { } error && IsHeadless)
                {
                    stopped = "an earlier cell failed: " + error.Split('\n')[0].Trim();
                    return;
                }
                if (!NotebookParameters.IsParametersCell(cell.Code))
                    return;
                try
                {
                    var overrides = NotebookParameters.ParseOverrides(
                        Environment.GetEnvironmentVariable(NotebookParameters.Variable)
                    );
                    if (overrides.Count == 0)
                        return;
                    var assignments = NotebookParameters.Assignments(NotebookParameters.Parse(cell.Code), overrides);
                    var result = await Kernel.Root.FindKernelByName("csharp").SendAsync(new SubmitCode(assignments));
                    if (result.Events.OfType<CommandFailed>().FirstOrDefault() is { } failed)
                        throw new ArgumentException(failed.Message);
                    Overrides = overrides.Select(o => $"{o.Key} = {o.Value}").ToList();
                    context.Display(
                        new Html(
                            "<p class=\"sodl-overrides\"><b>Parameters overridden</b> ("
                                + NotebookParameters.Variable
                                + "): "
                                + System.Net.WebUtility.HtmlEncode(string.Join("; ", Overrides))
                                + "</p>"
                        ),
                        HtmlFormatter.MimeType
                    );
                }
                catch (Exception e) when (e is ArgumentException or FormatException)
                {
                    stopped = "the parameters cell's overrides were refused";
                    context.Fail(
                        command,
                        message: $"Parameter overrides ({NotebookParameters.Variable}) refused: {e.Message}"
                    );
                }
            },
            "sodl-session"
        );
    }

    /// <summary>Remembers the first CommandFailed of a cell (its compile or run error).</summary>
    sealed class FailureWatch : IObserver<KernelEvent>
    {
        public string? Message { get; private set; }

        public void OnNext(KernelEvent e)
        {
            if (e is CommandFailed f)
                Message ??= f.Message;
        }

        public void OnError(Exception error) { }

        public void OnCompleted() { }
    }

    public string ReportHtml() =>
        $"""
            <table>
            <tr><td>notebook</td><td>{Name}</td></tr>
            <tr><td>mode</td><td><b>{RunMode.Name}</b> (set {RunMode.QuickVariable}=1 for QUICK)</td></tr>
            <tr><td>results</td><td>{InCheckout(Results.Folder)}</td></tr>
            <tr><td>TorchSharp</td><td>{typeof(torch).Assembly.GetName().Version}
                (libtorch {torch.__version__})</td></tr>
            <tr><td>device</td><td>{Devices.Describe(Device)}</td></tr>
            <tr><td>CPU tuning</td><td>{CpuTuning.Status}</td></tr>
            <tr><td>machine</td><td>{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription},
                .NET {Environment.Version}</td></tr>
            <tr><td>repository</td><td>this checkout</td></tr>
            </table>
            """;

    /// <summary>A folder as the published pages may show it: relative to the checkout, never this machine's
    /// path.</summary>
    string InCheckout(string folder) =>
        Path.GetRelativePath(Root, folder) is var relative
        && !Path.IsPathRooted(relative)
        && !relative.StartsWith("..", StringComparison.Ordinal)
            ? relative.Replace('\\', '/')
            : Path.GetFileName(folder.TrimEnd('/', '\\'));
}
