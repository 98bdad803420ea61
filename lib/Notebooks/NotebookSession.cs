using System.Runtime.InteropServices;
using ScienceOfDL.Results;
using Microsoft.DotNet.Interactive.Formatting;
using TorchSharp;
using static Microsoft.DotNet.Interactive.Kernel;

namespace ScienceOfDL.Notebooks;

/// <summary>
/// What every notebook's setup cell does: find the repository, choose the device, register chart rendering, and say
/// which mode (QUICK or full) and machine this run uses.
/// </summary>
public sealed record NotebookSession(string Name, string Root, torch.Device Device, bool Quick, ResultsStore Results)
{
    public static bool IsHeadless => Environment.GetEnvironmentVariable("SODL_HEADLESS") == "1";

    public static NotebookSession Start(string name)
    {
        var root = Repository.Root();
        ChartDisplay.Register();
        Html.Register();
        NotebookFormatters.Register();
        var session = new NotebookSession(name, root, Devices.Best(), RunMode.IsQuick, new ResultsStore());
        display(new Html(ChartDisplay.LoaderHtml() + session.ReportHtml()), HtmlFormatter.MimeType);
        return session;
    }

    public string ReportHtml() =>
        $"""
        <table>
        <tr><td>notebook</td><td>{Name}</td></tr>
        <tr><td>mode</td><td><b>{RunMode.Name}</b> (set {RunMode.QuickVariable}=1 for QUICK)</td></tr>
        <tr><td>TorchSharp</td><td>{typeof(torch).Assembly.GetName().Version} (libtorch {torch.__version__})</td></tr>
        <tr><td>device</td><td>{Devices.Describe(Device)}</td></tr>
        <tr><td>machine</td><td>{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}</td></tr>
        <tr><td>repository</td><td>{Root}</td></tr>
        </table>
        """;
}
