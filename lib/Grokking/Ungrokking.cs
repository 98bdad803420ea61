using ScienceOfDL.Results;
using static TorchSharp.torch;

namespace ScienceOfDL.Grokking;

/// <summary>One ungrokking job: the subset size D′, the weight decay, and the seed that orders the nested
/// subsets.</summary>
public sealed record UngrokkingJob(int SubsetSize, double WeightDecay, int Seed);

/// <summary>One ungrokking run: a grokked network trained further on a subset of D′ of its training examples.</summary>
/// <param name="Network">Which grokked network it started from (an index into the list a sweep was given).</param>
public sealed record UngrokkingRun(int P, int SubsetSize, double WeightDecay, int Seed, int Steps,
    double StartTestAccuracy,
    double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy, double ParameterNorm,
    int Network = 0);

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

    /// <summary>
    /// Ungrokking at matched time: every grokked network × weight decay × D′ × subset seed, each run continued for
    /// <paramref name="timeScales"/> weight-decay time scales, i.e. round(timeScales / (lr·wd)) steps, so every weight
    /// decay has shrunk the norm by the same factor e^−timeScales (a fixed step count gives a small weight decay less
    /// time to settle). Runs of one D′ train as one ensemble (<see cref="EnsembleTrainer"/>). The whole table is saved
    /// under one key (checkpoints by checksum, the splits, the settings, the grid).
    /// </summary>
    public static List<UngrokkingRun> Matched(IReadOnlyList<string> grokkedCheckpoints, Split grokkedOn, int[] sizes,
        double[] weightDecays, int[] seeds, double timeScales, TrainConfig config, ResultsStore store,
        Device? device = null, IProgress<UngrokkingRun>? progress = null, CancellationToken cancel = default)
    {
        int StepsAt(double wd) => (int)Math.Round(timeScales / (config.LearningRate * wd));
        var key = ResultKey.Of($"ungrokking-matched-p{grokkedOn.Table.P}", new
        {
            Grokked = grokkedCheckpoints.Select(c => "sha256 " + TrainingState.Checksum(c)).ToArray(),
            Data = grokkedOn.Describe(), Train = config.Settings(), timeScales, sizes, weightDecays, seeds,
            Trainer.CodeVersion,
        });
        return store.Table(key, () => sizes.OrderByDescending(s => s).SelectMany(size =>
        {
            var jobs = (from n in Enumerable.Range(0, grokkedCheckpoints.Count) from wd in weightDecays
                        from seed in seeds select (Network: n, WeightDecay: wd, Seed: seed)).ToList();
            var states = jobs.Select(j =>
            {
                var state = TrainingState.Load(grokkedCheckpoints[j.Network], device);
                state.ResetOptimizer();
                return state;
            }).ToList();
            try
            {
                var subsets = jobs.Select(j => NestedSubsets(grokkedOn, [size], j.Seed)[0]).ToList();
                var configs = jobs.Select(j => config with
                {
                    WeightDecay = j.WeightDecay, Steps = StepsAt(j.WeightDecay), EvalEvery = StepsAt(j.WeightDecay),
                }).ToList();
                var logs = EnsembleTrainer.Train(states, subsets, configs, cancel: cancel);
                return jobs.Select((j, i) =>
                {
                    var last = logs[i][^1];
                    var run = new UngrokkingRun(grokkedOn.Table.P, size, j.WeightDecay, j.Seed, configs[i].Steps,
                        logs[i][0].TestAccuracy, last.TrainLoss, last.TrainAccuracy, last.TestLoss,
                        last.TestAccuracy, last.ParameterNorm, j.Network);
                    progress?.Report(run);
                    return run;
                }).ToList();
            }
            finally
            {
                foreach (var s in states) s.Dispose();
            }
        }).ToList());
    }

    /// <summary>Every ungrokking-at-matched-time table saved in <paramref name="store"/> for (a + b) mod
    /// <paramref name="p"/>, with the settings it was run under, read back without computing anything: for a notebook
    /// that compares its own estimate with the crossings notebook 05 measured.</summary>
    public static List<(string Stem, double TimeScales, double LearningRate, List<UngrokkingRun> Runs)> SavedMatched(
        ResultsStore store, int p) =>
        Directory.GetFiles(store.Folder, $"ungrokking-matched-p{p}-*.csv").Order().Select(csv =>
        {
            var stem = Path.GetFileNameWithoutExtension(csv);
            var settings = System.Text.Json.Nodes.JsonNode.Parse(
                File.ReadAllText(Path.Combine(store.Folder, stem + ".settings.json")))?["settings"];
            return (stem, settings?["timeScales"]?.GetValue<double>() ?? double.NaN,
                settings?["Train"]?["LearningRate"]?.GetValue<double>() ?? double.NaN,
                CsvFile.Read<UngrokkingRun>(csv));
        }).ToList();

    /// <summary>D′ where mean test accuracy crosses 0.5 (log-linear between the sizes around it), with a bootstrap
    /// 95% interval that resamples the grokked networks (the independent units) and, within each, its subsets. Null
    /// when it does not cross inside the sizes.</summary>
    public static (double? Crossing, Statistics.Interval? Interval) Crossing(IReadOnlyList<UngrokkingRun> runs,
        int seed = 0, int resamples = 1000)
    {
        static double? Cross(IEnumerable<UngrokkingRun> rs) => Efficiency.CrossingSize(rs.GroupBy(r => r.SubsetSize)
            .Select(g => (g.Key, g.Average(r => r.TestAccuracy))).OrderBy(x => x.Key).ToList(), 0.5);
        var point = Cross(runs);
        var networks = runs.GroupBy(r => r.Network).Select(g => g.ToList()).ToList();
        var rng = new Random(seed);
        var values = new List<double>();
        for (var b = 0; b < resamples; b++)
        {
            var draw = Enumerable.Range(0, networks.Count).SelectMany(_ =>
            {
                var net = networks[rng.Next(networks.Count)];
                return net.GroupBy(r => r.SubsetSize).SelectMany(g =>
                {
                    var rows = g.ToList();
                    return rows.Select(_ => rows[rng.Next(rows.Count)]);
                });
            });
            if (Cross(draw) is double v) values.Add(v);
        }
        return (point, Statistics.Bootstrap.Percentiles(point, values, resamples));
    }

    /// <summary>Mean final test accuracy per (weight decay, D′) over seeds, for the chart of the paper's Fig.
    /// 4/7.</summary>
    public static List<(double WeightDecay, int SubsetSize, double MeanTestAccuracy, double MinTrainAccuracy,
        int Seeds)> Summary(IEnumerable<UngrokkingRun> runs) =>
        runs.GroupBy(r => (r.WeightDecay, r.SubsetSize)).OrderBy(g => g.Key.WeightDecay).ThenBy(g => g.Key.SubsetSize)
            .Select(g => (g.Key.WeightDecay, g.Key.SubsetSize, g.Average(r => r.TestAccuracy),
                g.Min(r => r.TrainAccuracy), g.Count())).ToList();
}
