using ScienceOfDL.Results;
using static TorchSharp.torch;

namespace ScienceOfDL.Grokking;

/// <summary>One ungrokking job: the subset size D′, the weight decay, and the seed that orders the nested
/// subsets.</summary>
public sealed record UngrokkingJob(int SubsetSize, double WeightDecay, int Seed);

/// <summary>One ungrokking run: a grokked network trained further on a subset of D′ of its training examples.</summary>
public sealed record UngrokkingRun(int P, int SubsetSize, double WeightDecay, int Seed, int Steps,
    double StartTestAccuracy,
    double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy, double ParameterNorm);

/// <summary>
/// Ungrokking (Varma et al. 2023, §5.2 and App. A.2): take a network that has grokked on a large training set and keep
/// training it on a subset smaller than D_crit, removing examples and adding none. If memorising the few remaining
/// examples is now the cheaper way to a low loss, weight decay moves the norm back from the generalising circuit to a
/// memorising one, and test accuracy falls while train accuracy stays at 1. The theory predicts a sharp transition in
/// D′ near D_crit that does not move with weight decay.
/// </summary>
public static class Ungrokking
{
    /// <summary><paramref name="count"/> training-set sizes spaced geometrically from <paramref name="min"/> to
    /// <paramref name="max"/> (the paper: 7 sizes in [390, 1494] for p = 113).</summary>
    public static int[] GeometricSizes(int min, int max, int count)
    {
        if (min < 1 || max < min || count < 1) throw new ArgumentOutOfRangeException(nameof(count),
            "Need 1 ≤ min ≤ max and count ≥ 1.");
        if (count == 1) return [min];
        return Enumerable.Range(0, count).Select(i =>
            (int)Math.Round(min * Math.Pow((double)max / min, i / (count - 1.0)))).Distinct().ToArray();
    }

    /// <summary>Nested subsets of a split's training set: one seeded order of its training examples, and for each size
    /// the first that many, so a smaller subset always lies inside a larger one. The test set is unchanged (examples
    /// the grokked network never trained on). Seed 0 keeps the split's own order (= <see
    /// cref="Split.Nested"/>).</summary>
    public static List<Split> NestedSubsets(Split split, IEnumerable<int> sizes, int seed)
    {
        var order = split.Train.ToArray();
        if (seed != 0) new Random(seed).Shuffle(order);
        var reordered = split with { Train = order };
        return sizes.OrderByDescending(s => s).Select(reordered.Nested).ToList();
    }

    /// <summary>Continues a grokked network (a checkpoint) on <paramref name="subset"/> at this weight decay, with
    /// fresh AdamW moments and warm-up. Returns the final state of the run.</summary>
    public static UngrokkingRun Run(string grokkedCheckpoint, Split subset, double weightDecay, TrainConfig config,
        int seed,
        Device? device = null, IProgress<StepMetrics>? progress = null, CancellationToken cancel = default)
    {
        using var state = TrainingState.Load(grokkedCheckpoint, device);
        state.ResetOptimizer();
        var log = Trainer.Train(state, subset, config with { WeightDecay = weightDecay }, progress: progress,
            cancel: cancel);
        var last = log[^1];
        return new UngrokkingRun(subset.Table.P, subset.TrainSize, weightDecay, seed, config.Steps, log[0].TestAccuracy,
            last.TrainLoss, last.TrainAccuracy, last.TestLoss, last.TestAccuracy, last.ParameterNorm);
    }

    /// <summary>Every (D′, weight decay, seed) not yet saved under the sweep's key — the exact grokked checkpoint, the
    /// split it grokked on, every training setting and the run length — each appended as it finishes, so an interrupted
    /// sweep resumes where it stopped and a changed setting recomputes. Returns the runs of these jobs.</summary>
    public static List<UngrokkingRun> Sweep(string grokkedCheckpoint, Split grokkedOn, int[] sizes,
        double[] weightDecays, int[] seeds,
        TrainConfig config, ResultsStore store, Device? device = null,
        IProgress<UngrokkingRun>? progress = null, CancellationToken cancel = default)
    {
        var key = SweepKey(grokkedCheckpoint, grokkedOn, config);
        // Seeds outermost: a partial sweep then covers the whole grid with few seeds rather than part of it with many.
        var jobs = seeds.SelectMany(seed => weightDecays.SelectMany(wd => sizes.OrderByDescending(s => s)
            .Select(size => new UngrokkingJob(size, wd, seed))));
        return store.Sweep(key, jobs, job =>
        {
            var subset = NestedSubsets(grokkedOn, [job.SubsetSize], job.Seed)[0];
            return Run(grokkedCheckpoint, subset, job.WeightDecay, config, job.Seed, device, cancel: cancel);
        }, progress, cancel);
    }

    /// <summary>The key a sweep is saved under: the exact grokked checkpoint, the split it grokked on, every training
    /// setting and the run length (each job carries D′, weight decay and subset seed).</summary>
    public static ResultKey SweepKey(string grokkedCheckpoint, Split grokkedOn, TrainConfig config) =>
        ResultKey.Of($"ungrokking-p{grokkedOn.Table.P}", new
        {
            Grokked = "sha256 " + TrainingState.Checksum(grokkedCheckpoint), Data = grokkedOn.Describe(),
                Train = config.Settings(),
            config.Steps, Trainer.CodeVersion,
        });

    /// <summary>Mean final test accuracy per (weight decay, D′) over seeds, for the chart of the paper's Fig.
    /// 4/7.</summary>
    public static List<(double WeightDecay, int SubsetSize, double MeanTestAccuracy, double MinTrainAccuracy,
        int Seeds)> Summary(IEnumerable<UngrokkingRun> runs) =>
        runs.GroupBy(r => (r.WeightDecay, r.SubsetSize)).OrderBy(g => g.Key.WeightDecay).ThenBy(g => g.Key.SubsetSize)
            .Select(g => (g.Key.WeightDecay, g.Key.SubsetSize, g.Average(r => r.TestAccuracy),
                g.Min(r => r.TrainAccuracy), g.Count())).ToList();
}
