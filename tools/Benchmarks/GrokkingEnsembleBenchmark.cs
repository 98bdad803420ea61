using System.Diagnostics;
using ScienceOfDL.Grokking;
using static TorchSharp.torch;

namespace ScienceOfDL.Benchmarks;

/// <summary>
/// Throughput of an ensemble against the same runs trained one after another, in one process with the same number of
/// threads: 8 runs of (a + b) mod 113 on the papers' model, each on its own training set of D examples with its own
/// seed, learning rate and weight decay (an ungrokking or efficiency sweep grouped by size). Training steps only
/// (evaluation costs the same per run either way); times are for one step of all 8 runs.
/// <list type="bullet">
/// <item><c>sequential</c>: <see cref="Trainer.Step"/> run after run, each on all torch threads.</item>
/// <item><c>groups</c>: as <see cref="EnsembleTrainer"/> trains them, one batched group per torch thread, side by side
/// with one torch thread each (<see cref="EnsembleGroups"/>); <c>speedup</c> is sequential ÷ this.</item>
/// <item><c>one_group</c>: all 8 in one batched group on all torch threads.</item>
/// </list>
/// Rounds alternate the ways, so load from other processes hits all of them alike; times are medians over rounds. The
/// headline is D = 1000 (the middle of the 400–3000 of the ungrokking, efficiency and semi-grokking sweeps); D = 400
/// and 3000 are printed on the lines before it.
/// <para><c>flop_bound</c> is the most any batching could gain here: sequential time ÷ the time the 8 steps' FLOPs
/// (<see cref="GrokkingBenchmark.StepFlops"/>) take at the FLOP/s of a large matmul measured in the same run. A
/// batched step that does the same arithmetic cannot beat the machine's matmul throughput, so a speedup above this
/// bound is out of reach.</para>
/// </summary>
public static class GrokkingEnsembleBenchmark
{
    public const int Runs = 8;

    public static string Run()
    {
        var matmul = Timing.MatmulFlopsPerSecond();
        foreach (var size in new[] { 400, 3000 })
            Console.WriteLine($"grokking-ensemble D={size}: {Measure(size, matmul)}");
        return $"runs={Runs} {Measure(1000, matmul)} matmul_gflops={matmul / 1e9:F0} "
            + $"load={File.ReadAllText("/proc/loadavg").Split(' ')[0]}";
    }

    static string Measure(int size, double matmulFlopsPerSecond)
    {
        var table = OperationTable.Create(113);
        var config = TransformerConfig.For(table);
        var splits = Enumerable.Range(0, Runs).Select(r => Split.BySize(table, size, seed: r)).ToList();
        var configs = Enumerable
            .Range(0, Runs)
            .Select(r => new TrainConfig(
                Steps: 1,
                LearningRate: r % 2 == 0 ? 1e-3 : 3e-3,
                WeightDecay: new[] { 0.3, 1.0, 3.0, 10.0 }[r % 4]
            ))
            .ToList();
        List<TrainingState> Fresh() => Enumerable.Range(0, Runs).Select(r => TrainingState.Create(config, r)).ToList();

        var states = Fresh();
        var inputs = splits.Select(s => (X: table.Tokens(s.Train), Y: table.Labels(s.Train))).ToList();
        void Sequential()
        {
            for (var r = 0; r < Runs; r++)
                Trainer.Step(states[r], inputs[r].X, inputs[r].Y, configs[r]);
        }
        using var groups = new EnsembleGroups(Fresh(), splits, configs);
        using var oneGroup = new EnsembleGroups(Fresh(), splits, configs, groups: 1);

        Action[] ways = [Sequential, groups.Step, oneGroup.Step];
        foreach (var step in ways)
            for (var i = 0; i < 3; i++)
                step();
        const int rounds = 15;
        var ms = ways.Select(_ => new double[rounds]).ToArray();
        for (var i = 0; i < rounds; i++)
        for (var w = 0; w < ways.Length; w++)
            ms[w][i] = Time(ways[w]);
        var median = ms.Select(m => m.Order().ElementAt(rounds / 2)).ToArray();
        foreach (var s in states)
            s.Dispose();
        foreach (var (x, y) in inputs)
        {
            x.Dispose();
            y.Dispose();
        }
        var floorMs = Runs * GrokkingBenchmark.StepFlops(config, size) / matmulFlopsPerSecond * 1000;
        return $"speedup={median[0] / median[1]:F2} flop_bound={median[0] / floorMs:F2} p=113 D={size} "
            + $"d_model={config.DModel} "
            + $"threads={get_num_threads()} groups={groups.GroupCount} sequential_ms={median[0]:F1} "
            + $"batched_ms={median[1]:F1} one_group_ms={median[2]:F1} speedup_one_group={median[0] / median[2]:F2}";
    }

    static double Time(Action step)
    {
        var sw = Stopwatch.StartNew();
        step();
        return sw.Elapsed.TotalMilliseconds;
    }
}
