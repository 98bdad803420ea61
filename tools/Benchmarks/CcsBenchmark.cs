using ScienceOfDL.Ccs.Data;
using ScienceOfDL.Ccs.Probing;
using static TorchSharp.torch;

namespace ScienceOfDL.Benchmarks;

public static class CcsBenchmark
{
    public static string Run()
    {
        // Burns' default CCS run (10 restarts × 1000 full-batch epochs) on MiniLM-sized states (d = 384, n = 600
        // pairs), batched restarts against a single restart, at the default thread count and at one thread (on a busy
        // 2-core machine two threads can be much slower than one for these small matmuls). The MLP is compute-bound
        // (its cost grows with the restarts), so it is timed over 20 epochs and reported per epoch.
        var planted = PlantedData.Generate(new() { Count = 600, Dim = 384 });
        var train = Normalization.Burns(planted.Pairs);
        double Ms(CcsOptions o) => Timing.MedianMs(() => CcsProbe.Train(train, o), warmup: 1, repeats: 3);
        var parts = new List<string>();
        var defaultThreads = get_num_threads();
        foreach (var threads in new[] { defaultThreads, 1 }.Distinct())
        {
            set_num_threads(threads);
            parts.Add($"t{threads}_linear_10x1000_s={Ms(new() { Restarts = 10 }) / 1000:F2}");
            parts.Add($"t{threads}_linear_1x1000_s={Ms(new() { Restarts = 1 }) / 1000:F2}");
            parts.Add(
                $"t{threads}_mlp_10_ms_per_epoch={Ms(new() { Restarts = 10, Epochs = 20, Kind = ProbeKind.Mlp })
                / 20:F1}"
            );
        }
        set_num_threads(defaultThreads);
        return string.Join(" ", parts) + " d=384 n=600";
    }
}
