using ScienceOfDL.Notebooks;
using ScienceOfDL.Results;
using TorchSharp;

namespace ScienceOfDL.Tests;

/// <summary>The setup table every notebook prints ends up on the published site: it names folders relative to the
/// checkout, never by this machine's path.</summary>
public class NotebookSessionReportTests
{
    [Fact]
    public void The_setup_table_names_the_results_folder_within_the_checkout_and_no_machine_path()
    {
        var root = Repository.Root();
        var session = new NotebookSession(
            "00-start-here",
            root,
            torch.CPU,
            Quick: false,
            new ResultsStore(Path.Combine(root, "data", "results"))
        );
        var report = session.ReportHtml();
        Assert.Contains("<tr><td>results</td><td>data/results</td></tr>", report);
        Assert.Contains("<tr><td>repository</td><td>this checkout</td></tr>", report);
        Assert.DoesNotContain(root, report);
        // A folder outside the checkout (a QUICK run's own results folder can be anywhere): its name only.
        var elsewhere = Path.Combine(Path.GetTempPath(), "sodl-elsewhere-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var outside = session with { Results = new ResultsStore(elsewhere) };
            Assert.Contains($"<tr><td>results</td><td>{Path.GetFileName(elsewhere)}</td></tr>", outside.ReportHtml());
            Assert.DoesNotContain(elsewhere, outside.ReportHtml());
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
    }
}
