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
        for (var i = 0; i < warmup; i++) call();
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
        var ms = MedianMs(() => { using var c = matmul(a, b); }, warmup: 3, repeats: 15);
        return 2.0 * n * n * n / (ms / 1000.0);
    }
}
