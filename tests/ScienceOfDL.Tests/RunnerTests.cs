extern alias runner;
using System.Diagnostics;
using System.Text.Json.Nodes;
using runner::ScienceOfDL.NotebookRunner;
using Xunit.Abstractions;

namespace ScienceOfDL.Tests;

/// <summary>The runner behind ./run-notebooks.sh: its command line, parameter overrides end to end, the validation cell
/// and the cells skipped after a failure, results that stay in their own run's folder and persist across runs (reused,
/// resumed after a kill), two runs on one folder, and timeouts that name the cell. Uses tests/fixtures/parameters.ipynb
/// (a few seconds a run).</summary>
[Trait("Category", "Notebook")]
public class RunnerTests(ITestOutputHelper output)
{
    static readonly string Root = Repository.Root();
    static readonly string Fixture = Path.Combine(Root, "tests", "fixtures", "parameters.ipynb");

    (int Code, string Out) RunCli(IDictionary<string, string?> env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Root,
        };
        psi.ArgumentList.Add(typeof(NotebookRun).Assembly.Location);
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.Environment.Remove("SODL_PARAMS"); // only what a test gives
        foreach (var (k, v) in env)
            psi.Environment[k] = v;
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
        Assert.Contains("weightDecays", text); // the real parameters are listed
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

    /// <summary>This test's own folder under artifacts/test-runner, emptied first: results now persist across runs, and
    /// each test starts from none.</summary>
    static string Fresh(string name)
    {
        var dir = Path.Combine(Root, "artifacts", "test-runner", name);
        if (Directory.Exists(dir))
            Directory.Delete(dir, recursive: true);
        return dir;
    }

    static Dictionary<string, string> Quick(params (string Key, string Value)[] more)
    {
        var env = new Dictionary<string, string> { ["SODL_QUICK"] = "1" };
        foreach (var (k, v) in more)
            env[k] = v;
        return env;
    }

    static Dictionary<string, string?> Cli(params (string Key, string Value)[] more) =>
        Quick(more).ToDictionary(kv => kv.Key, kv => (string?)kv.Value);

    /// <summary>Issue 32's refusals that need no run: each is one line naming what is wrong, and exit code 2.</summary>
    [Fact]
    public void Bad_environment_ambiguous_names_unusable_folders_and_damaged_settings_stop_before_anything_runs()
    {
        var (code, text) = RunCli(Cli(("SODL_PARAMS", "bogus=1")), "00");
        Assert.Equal(2, code);
        Assert.Contains(
            "00-start-here.ipynb (from SODL_PARAMS in the environment): This notebook has no parameter " + "'bogus'",
            text
        );
        (code, text) = RunCli(Cli(("SODL_PARAMS", "count=2")), Fixture, "-p", "count=3");
        Assert.Equal(2, code);
        Assert.Contains("parameter 'count' is given twice", text);
        (code, text) = RunCli(Cli(), "0");
        Assert.Equal(2, code);
        Assert.Contains("'0' is ambiguous: 6 notebooks begin with it (00-start-here, 01-ccs", text);
        Assert.DoesNotContain("run-notebooks.sh [--timeout", text); // one line, not the usage
        var dir = Fresh("unusable");
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, "a-file");
        File.WriteAllText(file, "");
        (code, text) = RunCli(Cli(), "--artifacts", Path.Combine(file, "sub"), Fixture);
        Assert.Equal(2, code);
        Assert.Contains(
            $"error: the artifacts folder is not usable: cannot write to {Path.Combine(file, "sub")}",
            text
        );
        var results = Path.Combine(dir, "parameters", "results");
        Directory.CreateDirectory(results);
        File.WriteAllText(Path.Combine(results, "fixture-0123456789ab.settings.json"), "not json");
        (code, text) = RunCli(Cli(), "--artifacts", dir, Fixture);
        Assert.Equal(2, code);
        Assert.Contains(
            $"error: {Path.Combine(results, "fixture-0123456789ab.settings.json")} is not a readable "
                + "settings file",
            text
        );
        Assert.False(File.Exists(Path.Combine(dir, "parameters", "parameters.ipynb"))); // nothing ran
    }

    [Fact]
    public void A_one_second_timeout_is_printed_as_one_second()
    {
        var (_, text) = RunCli(Cli(), "--timeout", "1", "--artifacts", Fresh("one-second"), Fixture);
        Assert.Contains("timeout 1 s each", text);
    }

    /// <summary>Issue 32: steps=-5 in notebook 04 ran on until the timeout and its follow-on errors hid the first one.
    /// Here the fixture's validation cell refuses count=-5 while the last cell would sleep for 10 minutes: the run
    /// stops at the validation cell, names it and the parameter, and reports the later cells as skipped.</summary>
    [Fact]
    public void A_value_out_of_range_stops_at_the_validation_cell_and_later_cells_are_skipped()
    {
        var dir = Fresh("out-of-range");
        var r = NotebookRun.Execute(
            Fixture,
            dir,
            TimeSpan.FromMinutes(5),
            Quick(),
            new Dictionary<string, string> { ["count"] = "-5", ["sleepSeconds"] = "600" }
        );
        output.WriteLine(r.Summary());
        Assert.False(r.Passed);
        Assert.False(r.TimedOut);
        var failure = Assert.Single(r.Failures);
        Assert.Equal((4, 3), (failure.Cell, failure.CodeCell));
        Assert.Contains("Parameter count = -5 is not allowed: it must be at least 0.", failure.Message);
        Assert.Equal([5, 6], r.Skipped);
        Assert.Contains("cell 4 (code cell 3): ", r.Summary());
        Assert.Contains("2 later cells were skipped (cells 5-6)", r.Summary());
        Assert.Empty(Directory.GetFiles(Path.Combine(dir, "parameters", "results"), "*.csv"));
    }

    /// <summary>The real notebooks' validation cells, end to end: an out-of-range value stops the notebook at its third
    /// code cell, right after the parameters cell, within seconds, naming the parameter; everything after is skipped.
    /// Issue 32's cases in notebooks 04 and 05 are here too (timeScales is now minTimeScales).</summary>
    [Theory]
    [InlineData("00-start-here", "gridPoints", "1", "Parameter gridPoints = 1 is not allowed: it must be at least 2.")]
    [InlineData(
        "01-ccs",
        "defaultLayer",
        "5",
        "Parameter defaultLayer = 5 is not allowed: it must be one of " + "studyLayers (2, 4, 6)."
    )]
    [InlineData(
        "02-banana-shed",
        "dataset",
        "topic",
        "Parameter dataset = \"topic\" is not allowed: it must be one " + "of ccsSets ("
    )]
    [InlineData(
        "03-ccs-as-pca",
        "examples",
        "5",
        "Parameter examples = 5 is not allowed: it must be null or at " + "least 20."
    )]
    [InlineData("04-circuit-efficiency", "steps", "-5", "Parameter steps = -5 is not allowed: it must be at least 1.")]
    [InlineData("04-circuit-efficiency", "evalEvery", "0", "Parameter evalEvery = 0 is not allowed: it must be from 1")]
    [InlineData(
        "05-ungrokking",
        "weightDecays",
        "-1",
        "Parameter weightDecays = [-1] is not allowed: every element " + "must be above 0"
    )]
    [InlineData(
        "05-ungrokking",
        "minTimeScales",
        "-2",
        "Parameter minTimeScales = -2 is not allowed: it must be at " + "least 5."
    )]
    [InlineData("05-ungrokking", "networks", "0", "Parameter networks = 0 is not allowed: it must be at least 1.")]
    [InlineData("05-ungrokking", "semiScales", "0", "Parameter semiScales = 0 is not allowed: it must be at least 1.")]
    public void A_notebook_stops_at_its_validation_cell(string notebook, string name, string value, string expected)
    {
        var r = NotebookRun.Execute(
            Path.Combine(Root, "notebooks", notebook + ".ipynb"),
            Fresh("validation"),
            TimeSpan.FromMinutes(5),
            Quick(),
            new Dictionary<string, string> { [name] = value }
        );
        output.WriteLine(r.Summary());
        var failure = Assert.Single(r.Failures);
        Assert.Equal(3, failure.CodeCell);
        Assert.Contains(expected, failure.Message);
        Assert.NotEmpty(r.Skipped!);
        Assert.False(r.TimedOut);
    }

    /// <summary>Issue 32: weightDecays=-1 through SODL_PARAMS ran with no error. An array element out of range, given
    /// the same way, is refused by the validation cell, naming the element.</summary>
    [Fact]
    public void An_array_element_out_of_range_from_SODL_PARAMS_is_refused_naming_the_element()
    {
        var r = NotebookRun.Execute(
            Fixture,
            Fresh("element"),
            TimeSpan.FromMinutes(5),
            Quick(("SODL_PARAMS", "weights=2,-1"))
        );
        output.WriteLine(r.Summary());
        var failure = Assert.Single(r.Failures);
        Assert.Equal(3, failure.CodeCell);
        Assert.Contains(
            "Parameter weights = [2, -1] is not allowed: every element must be above 0 (weights[1] = -1).",
            failure.Message
        );
        Assert.Equal([5, 6], r.Skipped);
    }

    /// <summary>Issue 32: the runner deleted artifacts/&lt;notebook&gt;/ at every start, results included. Now
    /// identical settings reuse the saved rows, a sweep killed like kill -9 keeps the rows it finished, and the next
    /// run computes only the rest.</summary>
    [Fact]
    public void Quick_results_persist_so_identical_settings_reuse_them_and_a_killed_run_resumes()
    {
        var dir = Fresh("persist");
        NotebookResult Run(params (string, string)[] overrides)
        {
            var r = NotebookRun.Execute(Fixture, dir, TimeSpan.FromMinutes(5), Quick(), overrides.ToDictionary());
            output.WriteLine(r.Summary());
            return r;
        }
        string Computed(NotebookResult r) =>
            System
                .Text.RegularExpressions.Regex.Match(File.ReadAllText(r.OutputPath), @"\d+ rows \(\d+ computed\)")
                .Value;
        string Csv() => Assert.Single(Directory.GetFiles(Path.Combine(dir, "parameters", "results"), "fixture-*.csv"));

        var first = Run(("count", "3"));
        Assert.True(first.Passed, first.Summary());
        Assert.Equal("3 rows (3 computed)", Computed(first));
        var saved = File.ReadAllText(Csv());
        var again = Run(("count", "3"));
        Assert.True(again.Passed, again.Summary());
        Assert.Equal("3 rows (0 computed)", Computed(again));
        Assert.Equal(saved, File.ReadAllText(Csv()));

        var killed = Run(("count", "6"), ("killAt", "4"));
        Assert.False(killed.Passed);
        Assert.Contains("the kernel exited", killed.Problem);
        Assert.Contains("while running cell 5 (code cell 4)", killed.Problem);
        Assert.Equal(1 + 4, File.ReadAllLines(Csv()).Length); // header + jobs 0-3, job 3 from this run
        var resumed = Run(("count", "6"));
        Assert.True(resumed.Passed, resumed.Summary());
        Assert.Equal("6 rows (2 computed)", Computed(resumed));
    }

    /// <summary>Issue 32: a second runner on the same artifacts folder deleted the first one's live results and locks.
    /// Now the second waits for the first's lock on the notebook's folder, then reuses its results, and two site builds
    /// at once both succeed.</summary>
    [Fact]
    public void Two_runs_on_one_folder_wait_for_each_other_and_delete_nothing_of_the_other()
    {
        var dir = Fresh("shared");
        var results = new NotebookResult[2];
        Parallel.For(0, 2, i =>
            results[i] = NotebookRun.Execute(
                Fixture,
                dir,
                TimeSpan.FromMinutes(5),
                Quick(),
                new Dictionary<string, string> { ["sleepSeconds"] = "2" }
            )
        );
        foreach (var r in results)
            output.WriteLine(r.Summary());
        Assert.All(results, r => Assert.True(r.Passed, r.Summary()));
        // One computed the rows; the other waited for it, then reused them. The executed copy is the later run's (a
        // run replaces its notebook's executed copy, never the results).
        Assert.Single(results.Select(r => r.OutputPath).Distinct());
        Assert.Contains("3 rows (0 computed)", File.ReadAllText(results[0].OutputPath));
        var csv = Assert.Single(Directory.GetFiles(Path.Combine(dir, "parameters", "results"), "fixture-*.csv"));
        Assert.Equal(1 + 3, File.ReadAllLines(csv).Length);
        var built = new bool[2];
        Parallel.For(0, 2, i =>
            built[i] = runner::ScienceOfDL.NotebookRunner.Site.SiteCommand.BuildAfterRun(Root, dir)
        );
        Assert.Equal([true, true], built);
    }

    [Fact]
    public void Quick_mode_spelled_true_is_reported_as_quick()
    {
        var (code, text) = RunCli(
            new Dictionary<string, string?> { ["SODL_QUICK"] = "true" },
            "--artifacts",
            Fresh("true"),
            Fixture
        );
        Assert.Equal(0, code);
        Assert.Contains("in QUICK mode", text);
    }

    [Fact]
    public void Two_concurrent_runs_keep_their_overrides_and_results_apart()
    {
        var env = new Dictionary<string, string> { ["SODL_QUICK"] = "1" };
        var folders = new[] { "a", "b" }.Select(Fresh).ToArray();
        var overrides = new[]
        {
            new Dictionary<string, string> { ["count"] = "5", ["label"] = "run a" },
            new Dictionary<string, string> { ["count"] = "7" },
        };
        var results = new NotebookResult[2];
        Parallel.For(0, 2, i =>
            results[i] = NotebookRun.Execute(Fixture, folders[i], TimeSpan.FromMinutes(5), env, overrides[i])
        );
        foreach (var r in results)
            output.WriteLine(r.Summary());
        Assert.All(results, r => Assert.True(r.Passed, r.Summary()));
        for (var i = 0; i < 2; i++)
        {
            var outDir = Path.Combine(folders[i], "parameters");
            var csv = Assert.Single(Directory.GetFiles(Path.Combine(outDir, "results"), "fixture-*.csv"));
            Assert.Equal(i == 0 ? 5 : 7, File.ReadAllLines(csv).Length - 1); // header + exactly this run's rows
            var executed = File.ReadAllText(results[i].OutputPath);
            Assert.Contains(i == 0 ? "5 rows (5 computed), label run a" : "7 rows (7 computed), label plain", executed);
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
        var refused = Fresh("refused");
        var r = NotebookRun.Execute(
            Fixture,
            refused,
            TimeSpan.FromMinutes(5),
            new Dictionary<string, string> { ["SODL_QUICK"] = "1", ["SODL_PARAMS"] = "nosuch=1" }
        );
        output.WriteLine(r.Summary());
        Assert.False(r.Passed);
        var failure = Assert.Single(r.Failures);
        Assert.True(
            failure.CodeCell == 2
                && failure.Message.Contains("no parameter 'nosuch'")
                && failure.Message.Contains("sleepSeconds"),
            failure.Message
        );
        Assert.Equal([4, 5, 6], r.Skipped);
        Assert.False(
            Directory.Exists(Path.Combine(refused, "parameters", "results"))
                && Directory.GetFiles(Path.Combine(refused, "parameters", "results"), "*.csv").Length > 0
        );
    }

    [Fact]
    public void A_timeout_names_the_cell_that_hung()
    {
        // The timeout must leave time for the cells before the hung one; how long they take depends on the machine
        // (and on a cold NuGet cache), so it is sized from a normal run of the same fixture, measured first.
        var env = new Dictionary<string, string> { ["SODL_QUICK"] = "1" };
        var normal = NotebookRun.Execute(Fixture, Fresh("not-hung"), TimeSpan.FromMinutes(5), env);
        Assert.True(normal.Passed, normal.Summary());
        var timeout = TimeSpan.FromSeconds(Math.Max(20, 3 * normal.Elapsed.TotalSeconds + 10));
        var r = NotebookRun.Execute(
            Fixture,
            Fresh("hung"),
            timeout,
            env,
            new Dictionary<string, string> { ["sleepSeconds"] = "600" }
        );
        output.WriteLine($"normal run {normal.Elapsed.TotalSeconds:F0} s, timeout {timeout.TotalSeconds:F0} s");
        output.WriteLine(r.Summary());
        Assert.True(r.TimedOut);
        Assert.Contains("cell 6 (code cell 5): System.Threading.Thread.Sleep", r.Summary());
    }
}
