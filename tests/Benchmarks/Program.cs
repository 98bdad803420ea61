using System.Globalization;
using ScienceOfDL.Benchmarks;
using static TorchSharp.torch;

// ./bench.sh [name ...]: runs the named benchmarks; each ends with one line `BENCH <name> key=value ...`.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var benchmarks = new Dictionary<string, Func<string>>
{
    ["matmul"] = () =>
    {
        // Proves the wiring and gives the machine's yardstick: float32 matmul throughput.
        var flops = Timing.MatmulFlopsPerSecond();
        return $"gflops={flops / 1e9:F1} threads={get_num_threads()}";
    },
    ["ccs"] = () =>
    {
        // Burns' default CCS run (10 restarts × 1000 full-batch epochs) on MiniLM-sized states (d = 384, n = 600 pairs),
        // batched restarts against a single restart, at the default thread count and at one thread (on a busy 2-core
        // machine two threads can be much slower than one for these small matmuls). The MLP is compute-bound (its cost
        // grows with the restarts), so it is timed over 20 epochs and reported per epoch.
        var planted = ScienceOfDL.Ccs.PlantedData.Generate(new() { Count = 600, Dim = 384 });
        var train = ScienceOfDL.Ccs.Normalization.Burns(planted.Pairs);
        double Ms(ScienceOfDL.Ccs.CcsOptions o) => Timing.MedianMs(() => ScienceOfDL.Ccs.CcsProbe.Train(train, o), warmup: 1, repeats: 3);
        var parts = new List<string>();
        var defaultThreads = get_num_threads();
        foreach (var threads in new[] { defaultThreads, 1 }.Distinct())
        {
            set_num_threads(threads);
            parts.Add($"t{threads}_linear_10x1000_s={Ms(new() { Restarts = 10 }) / 1000:F2}");
            parts.Add($"t{threads}_linear_1x1000_s={Ms(new() { Restarts = 1 }) / 1000:F2}");
            parts.Add($"t{threads}_mlp_10_ms_per_epoch={Ms(new() { Restarts = 10, Epochs = 20, Kind = ScienceOfDL.Ccs.ProbeKind.Mlp }) / 20:F1}");
        }
        set_num_threads(defaultThreads);
        return string.Join(" ", parts) + " d=384 n=600";
    },
};

if (args.Length == 0)
{
    Console.WriteLine("usage: ./bench.sh NAME [NAME ...]   benchmarks: " + string.Join(", ", benchmarks.Keys));
    return 0;
}
foreach (var name in args)
{
    if (!benchmarks.TryGetValue(name, out var run))
    {
        Console.Error.WriteLine($"error: no benchmark '{name}'. Available: {string.Join(", ", benchmarks.Keys)}");
        return 2;
    }
    Console.WriteLine($"BENCH {name} {run()}");
}
return 0;
