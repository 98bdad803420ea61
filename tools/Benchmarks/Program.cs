using System.Globalization;
using ScienceOfDL.Benchmarks;
using static TorchSharp.torch;

// ./bench.sh [name ...]: runs the named benchmarks; each ends with one line `BENCH <name> key=value ...`.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Contains("minilm"))
    MiniLmBenchmark.PreferPassiveThreadWaiting(); // before TorchSharp loads libgomp
if (args.Length > 0)
    Console.WriteLine($"CPU tuning: {ScienceOfDL.CpuTuning.Apply()}"); // before any tensor work
var benchmarks = new Dictionary<string, Func<string>>
{
    ["matmul"] = () =>
    {
        // Proves the wiring and gives the machine's yardstick: float32 matmul throughput.
        var flops = Timing.MatmulFlopsPerSecond();
        return $"gflops={flops / 1e9:F1} threads={get_num_threads()}";
    },
    ["minilm"] = () => MiniLmBenchmark.Run(),
    ["ccs"] = CcsBenchmark.Run,
    ["grokking"] = GrokkingBenchmark.Run,
    ["grokking-ensemble"] = GrokkingEnsembleBenchmark.Run,
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
