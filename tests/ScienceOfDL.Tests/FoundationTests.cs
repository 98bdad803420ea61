using ScienceOfDL.Plots;
using XPlot.Plotly;
using TorchSharp;
using static TorchSharp.torch;

namespace ScienceOfDL.Tests;

public class FoundationTests
{
    [Fact]
    public void Same_seed_gives_the_same_numbers()
    {
        Seeds.Set(7);
        var a = randn(5).data<float>().ToArray();
        Seeds.Set(7);
        var b = randn(5).data<float>().ToArray();
        Seeds.Set(8);
        var c = randn(5).data<float>().ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void The_device_is_cpu_here_and_forced_by_environment()
    {
        var best = Devices.Best();
        Assert.Equal(cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU, best.type);
    }

    [Fact]
    public void Quick_mode_follows_the_environment_variable()
    {
        var old = Environment.GetEnvironmentVariable(RunMode.QuickVariable);
        try
        {
            Environment.SetEnvironmentVariable(RunMode.QuickVariable, "1");
            Assert.True(RunMode.IsQuick);
            Assert.Equal(3, RunMode.Pick(3, 100));
            Environment.SetEnvironmentVariable(RunMode.QuickVariable, null);
            Assert.False(RunMode.IsQuick);
            Assert.Equal(100, RunMode.Pick(3, 100));
        }
        finally { Environment.SetEnvironmentVariable(RunMode.QuickVariable, old); }
    }

    [Fact]
    public void Standalone_chart_html_inlines_plotly_and_needs_no_cdn()
    {
        var chart = Chart.Plot(new Scatter { x = new[] { 1, 2, 3 }, y = new[] { 2, 4, 8 } });
        chart.WithTitle("doubling");
        var path = Path.Combine(Path.GetTempPath(), $"sodl-chart-{Guid.NewGuid():N}.html");
        try
        {
            Charts.SaveHtml(chart, path);
            var html = File.ReadAllText(path);
            Assert.Contains("plotly.js v2.35.3", html);
            Assert.Contains("doubling", html);
            Assert.DoesNotContain("<script src=\"https://cdn", html);
            Assert.DoesNotContain("<script src=", html);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void The_repository_root_is_found_from_the_test_folder()
    {
        var root = Repository.Root();
        Assert.True(File.Exists(Path.Combine(root, "global.json")));
        Assert.Throws<DirectoryNotFoundException>(() => Repository.Root(Path.GetTempPath()));
    }
}
