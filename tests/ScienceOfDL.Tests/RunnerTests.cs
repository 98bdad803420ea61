extern alias runner;
using System.Diagnostics;
using System.Text.Json.Nodes;
using runner::ScienceOfDL.NotebookRunner;
using Xunit.Abstractions;

namespace ScienceOfDL.Tests;

/// <summary>The runner behind ./run-notebooks.sh: its command line, parameter overrides end to end, results that stay
/// in their own run's folder, and timeouts that name the cell. Uses tests/fixtures/parameters.ipynb (a few seconds a
/// run).</summary>
[Trait("Category", "Notebook")]
public class RunnerTests(ITestOutputHelper output)
{
    static readonly string Root = Repository.Root();
    static readonly string Fixture = Path.Combine(Root, "tests", "fixtures", "parameters.ipynb");

    (int Code, string Out) RunCli(IDictionary<string, string?> env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true,
            WorkingDirectory = Root };
        psi.ArgumentList.Add(typeof(NotebookRun).Assembly.Location);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        output.WriteLine(stdout.Result + stderr);
        return (p.ExitCode, stdout.Result + stderr);
    }

    [Fact]
    public void The_command_line_refuses_unknown_parameters_bad_values_and_bad_options_before_running_anything()
    {
        var quick = new Dictionary<string, string?> { ["SODL_QUICK"] = "1" };
        var (code, text) = RunCli(quick, "04", "-p", "nosuchknob=1");
        Assert.Equal(2, code);
        Assert.Contains("no parameter 'nosuchknob'", text);
        Assert.Contains("weightDecays", text);                    // the real parameters are listed
        (code, text) = RunCli(quick, Fixture, "-p", "count=many");
        Assert.Equal(2, code);
        Assert.Contains("'many' is not a whole number", text);
        (code, text) = RunCli(quick, "--timeout", "abc", "04");
        Assert.Equal(2, code);
        Assert.Contains("--timeout needs a whole number of seconds", text);
        (code, text) = RunCli(new Dictionary<string, string?> { ["SODL_QUICK"] = "maybe" }, "04");
        Assert.Equal(2, code);
        Assert.Contains("SODL_QUICK=maybe", text);
        (code, text) = RunCli(quick, "nosuchnotebook");
        Assert.Equal(2, code);
        Assert.Contains("Available: 00-start-here", text);
    }

    [Fact]
    public void Quick_mode_spelled_true_is_reported_as_quick()
    {
        var (code, text) = RunCli(new Dictionary<string, string?> { ["SODL_QUICK"] = "true" }, "--artifacts",
            Path.Combine(Root, "artifacts", "test-runner", "true"), Fixture);
        Assert.Equal(0, code);
        Assert.Contains("in QUICK mode", text);
    }

    [Fact]
    public void Two_concurrent_runs_keep_their_overrides_and_results_apart()
    {
        var env = new Dictionary<string, string> { ["SODL_QUICK"] = "1" };
        var folders = new[] { "a", "b" }.Select(f => Path.Combine(Root, "artifacts", "test-runner", f)).ToArray();
        var overrides = new[] { new Dictionary<string, string> { ["count"] = "5", ["label"] = "run a" },
                                new Dictionary<string, string> { ["count"] = "7" } };
        var results = new NotebookResult[2];
        Parallel.For(0, 2, i =>
            results[i] = NotebookRun.Execute(Fixture, folders[i], TimeSpan.FromMinutes(5), env, overrides[i]));
        foreach (var r in results) output.WriteLine(r.Summary());
        Assert.All(results, r => Assert.True(r.Passed, r.Summary()));
        for (var i = 0; i < 2; i++)
        {
            var outDir = Path.Combine(folders[i], "parameters");
            var csv = Assert.Single(Directory.GetFiles(Path.Combine(outDir, "results"), "fixture-*.csv"));
            Assert.Equal(i == 0 ? 5 : 7, File.ReadAllLines(csv).Length - 1);        // header + exactly this run's rows
            var executed = File.ReadAllText(results[i].OutputPath);
            Assert.Contains(i == 0 ? "5 rows, label run a" : "7 rows, label plain", executed);
            var recorded = JsonNode.Parse(executed)!["metadata"]!["sodl"]!;
            Assert.Equal("QUICK", recorded["mode"]!.GetValue<string>());
            Assert.Equal(overrides[i]["count"], recorded["parameters"]!["count"]!.GetValue<string>());
            var chart = Assert.Single(Directory.GetFiles(Path.Combine(outDir, "charts"), "*.html"));
            Assert.Contains($"count = {overrides[i]["count"]}", File.ReadAllText(chart));
        }
    }

    [Fact]
    public void An_override_the_kernel_refuses_fails_the_parameters_cell_and_skips_the_rest()
    {
        var r = NotebookRun.Execute(Fixture, Path.Combine(Root, "artifacts", "test-runner", "refused"),
            TimeSpan.FromMinutes(5),
            new Dictionary<string, string> { ["SODL_QUICK"] = "1", ["SODL_PARAMS"] = "nosuch=1" });
        output.WriteLine(r.Summary());
        Assert.False(r.Passed);
        Assert.Contains(r.Failures, f => f.CodeCell == 2 && f.Message.Contains("no parameter 'nosuch'")
            && f.Message.Contains("sleepSeconds"));
        Assert.Contains(r.Failures, f => f.CodeCell == 3 && f.Message.Contains("skipped"));
        Assert.False(Directory.Exists(Path.Combine(Root, "artifacts", "test-runner", "refused", "parameters",
            "results"))
                     && Directory.GetFiles(Path.Combine(Root, "artifacts", "test-runner", "refused", "parameters",
                         "results"), "*.csv").Length > 0);
    }

    [Fact]
    public void A_timeout_names_the_cell_that_hung()
    {
        // The timeout must leave time for the cells before the hung one; how long they take depends on the machine
        // (and on a cold NuGet cache), so it is sized from a normal run of the same fixture, measured first.
        var env = new Dictionary<string, string> { ["SODL_QUICK"] = "1" };
        var normal = NotebookRun.Execute(Fixture, Path.Combine(Root, "artifacts", "test-runner", "not-hung"),
            TimeSpan.FromMinutes(5), env);
        Assert.True(normal.Passed, normal.Summary());
        var timeout = TimeSpan.FromSeconds(Math.Max(20, 3 * normal.Elapsed.TotalSeconds + 10));
        var r = NotebookRun.Execute(Fixture, Path.Combine(Root, "artifacts", "test-runner", "hung"), timeout, env,
            new Dictionary<string, string> { ["sleepSeconds"] = "600" });
        output.WriteLine($"normal run {normal.Elapsed.TotalSeconds:F0} s, timeout {timeout.TotalSeconds:F0} s");
        output.WriteLine(r.Summary());
        Assert.True(r.TimedOut);
        Assert.Contains("cell 5 (code cell 4): System.Threading.Thread.Sleep", r.Summary());
    }
}
