using System.Diagnostics;
using static TorchSharp.torch;

namespace ScienceOfDL.Benchmarks;

/// <summary>Small timing helpers: warm up, then take the median of repeated measurements.</summary>
public static class Timing
{
    /// <summary>Median milliseconds per call over <paramref name="repeats"/> timed calls after <paramref
    /// name="warmup"/> untimed ones.</summary>
    public static double MedianMs(Action call, int warmup = 3, int repeats = 10)
    {
        for (var i = 0; i < warmup; i++)
            call();
        var times = new double[repeats];
        for (var i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            call();
            times[i] = sw.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return times[repeats / 2];
    }

    /// <summary>FLOP/s of a large float32 matmul on this machine: the yardstick other benchmarks divide by.</summary>
    public static double MatmulFlopsPerSecond(int n = 1024)
    {
        using var scope = NewDisposeScope();
        var a = randn(n, n);
        var b = randn(n, n);
        var ms = MedianMs(
            () =>
            {
                using var c = matmul(a, b);
            },
            warmup: 3,
            repeats: 15
        );
        return 2.0 * n * n * n / (ms / 1000.0);
    }

    /// <summary>The CPU's model and its widest vector instructions (Linux; else the OS name). Engines differ in which
    /// they use (ONNX Runtime's kernels pick AVX-512 wherever the CPU has it), so a ratio is read with this beside
    /// it.</summary>
    public static string Cpu()
    {
        if (!File.Exists("/proc/cpuinfo"))
            return System.Runtime.InteropServices.RuntimeInformation.OSDescription;
        var lines = File.ReadLines("/proc/cpuinfo").ToList();
        string Field(string name) => lines.FirstOrDefault(l => l.StartsWith(name))?.Split(':', 2)[1].Trim() ?? "?";
        var flags = Field("flags").Split(' ').ToHashSet();
        var widest =
            flags.Contains("avx512f") ? "AVX-512"
            : flags.Contains("avx2") ? "AVX2"
            : "no AVX2";
        return $"{Field("model name")}, {widest}, {Environment.ProcessorCount} logical cores";
    }
}
