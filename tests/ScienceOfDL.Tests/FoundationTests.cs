using ScienceOfDL.Plots;
using TorchSharp;
using XPlot.Plotly;
using static TorchSharp.torch;

namespace ScienceOfDL.Tests;

public class FoundationTests
{
    [Fact]
    public void Same_seed_gives_the_same_numbers()
    {
        float[] Draw(int seed)
        {
            using var g = Seeds.Generator(seed);
            return randn(5, generator: g).data<float>().ToArray();
        }
        Assert.Equal(Draw(7), Draw(7));
        Assert.NotEqual(Draw(7), Draw(8));
        // Derived seeds: deterministic, distinct per index and per base seed.
        Assert.Equal(Seeds.Derive(7, 3), Seeds.Derive(7, 3));
        Assert.Equal(10, Enumerable.Range(0, 10).Select(i => Seeds.Derive(7, i)).Distinct().Count());
        Assert.NotEqual(Seeds.Derive(7, 0), Seeds.Derive(8, 0));
    }

    [Fact]
    public void The_device_is_the_best_available_unless_the_environment_names_one()
    {
        var old = Environment.GetEnvironmentVariable("SODL_DEVICE");
        try
        {
            Environment.SetEnvironmentVariable("SODL_DEVICE", null);
            var best = cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU;
            Assert.Equal(best, Devices.Best().type);
            // Naming the device the machine would not pick shows the variable wins (a CUDA device is only described
            // here, not used, so this works without a GPU).
            var other = best == DeviceType.CPU ? DeviceType.CUDA : DeviceType.CPU;
            Environment.SetEnvironmentVariable("SODL_DEVICE", other == DeviceType.CUDA ? "cuda" : "cpu");
            Assert.Equal(other, Devices.Best().type);
            Environment.SetEnvironmentVariable("SODL_DEVICE", "");
            Assert.Equal(best, Devices.Best().type);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SODL_DEVICE", old);
        }
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
        finally
        {
            Environment.SetEnvironmentVariable(RunMode.QuickVariable, old);
        }
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
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_repository_root_is_found_from_the_test_folder()
    {
        var root = Repository.Root();
        Assert.True(File.Exists(Path.Combine(root, "global.json")));
        Assert.Throws<DirectoryNotFoundException>(() => Repository.Root(Path.GetTempPath()));
    }
}
