using ScienceOfDL.Results;
using static TorchSharp.torch;

namespace ScienceOfDL.Grokking;

/// <summary>One ungrokking job: every grokked network × subset order at one D′ and one weight decay, trained as one
/// ensemble.</summary>
public sealed record UngrokkingJob(int SubsetSize, double WeightDecay);

/// <summary>One ungrokking run: grokked network <c>Network</c> (an index into the list a sweep was given) trained
/// further on D′ = <c>SubsetSize</c> of its training examples (subset order <c>Seed</c>) until settled
/// (<see cref="Settling"/>): <c>TimeScales</c> long in units of 1/(lr·wd), <c>Settled</c> whether its norm moved by at
/// most 2% over its last 5, and where it ended.</summary>
public sealed record UngrokkingRun(
    int P,
    int SubsetSize,
    double WeightDecay,
    int Seed,
    int Network,
    double TimeScales,
    bool Settled,
    double NormSwing,
    double StartTestAccuracy,
    double TrainLoss,
    double TrainAccuracy,
    double TestLoss,
    double TestAccuracy,
    double ParameterNorm
);

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
        if (min < 1 || max < min || count < 1)
            throw new ArgumentOutOfRangeException(nameof(count), "Need 1 ≤ min ≤ max and count ≥ 1.");
        if (count == 1)
            return [min];
        return Enumerable
            .Range(0, count)
            .Select(i => (int)Math.Round(min * Math.Pow((double)max / min, i / (count - 1.0))))
            .Distinct()
            .ToArray();
    }

    /// <summary>Nested subsets of a split's training set: one seeded order of its training examples, and for each size
    /// the first that many, so a smaller subset always lies inside a larger one. The test set is unchanged (examples
    /// the grokked network never trained on). Seed 0 keeps the split's own order (= <see
    /// cref="Split.Nested"/>).</summary>
    public static List<Split> NestedSubsets(Split split, IEnumerable<int> sizes, int seed)
    {
        var order = split.Train.ToArray();
        if (seed != 0)
            new Random(seed).Shuffle(order);
        var reordered = split with { Train = order };
        return sizes.OrderByDescending(s => s).Select(reordered.Nested).ToList();
    }

    /// <summary>What an ungrokking sweep is saved under (each job adds D′ and weight decay): a named record, so
    /// renaming a variable cannot re-key saved results. <c>Optimiser</c> has its run-specific fields zeroed.</summary>
    public sealed record SweepSettings(
        string[] Grokked,
        string Data,
        TrainConfig Optimiser,
        int[] Seeds,
        Settling Settling,
        int CodeVersion
    );

    public static ResultKey Key(
        IReadOnlyList<string> grokkedCheckpoints,
        Split grokkedOn,
        int[] seeds,
        Settling settling,
        TrainConfig optimiser
    ) =>
        ResultKey.Of(
            $"ungrokking-p{grokkedOn.Table.P}",
            new SweepSettings(
                grokkedCheckpoints.Select(c => "sha256 " + TrainingState.Checksum(c)).ToArray(),
                grokkedOn.Describe(),
                optimiser with
                {
                    Steps = 0,
                    WeightDecay = 0,
                    EvalEvery = 0,
                    CheckpointEvery = 0,
                },
                seeds,
                settling,
                Trainer.CodeVersion
            )
        );

    /// <summary>
    /// Ungrokking until settled: every grokked network × weight decay × D′ × subset order, each grokked network
    /// continued (fresh AdamW moments and warm-up) on its nested subset of D′ training examples until its norm has
    /// settled by <paramref name="settling"/>, the rule the efficiency study uses, so both read networks at the
    /// balance of loss and weight decay. The runs of one (D′, weight decay) train as one ensemble and are appended to
    /// the sweep's file as they finish (<see cref="ResultsStore.SweepMany"/>), so an interrupted sweep resumes.
    /// </summary>
    public static List<UngrokkingRun> Run(
        IReadOnlyList<string> grokkedCheckpoints,
        Split grokkedOn,
        int[] sizes,
        double[] weightDecays,
        int[] seeds,
        Settling settling,
        TrainConfig optimiser,
        ResultsStore store,
        Device? device = null,
        IProgress<UngrokkingRun>? progress = null,
        CancellationToken cancel = default
    )
    {
        if (grokkedCheckpoints.Count == 0)
            throw new ArgumentException("Ungrokking needs a grokked network.");
        if (sizes.Length == 0 || weightDecays.Length == 0 || seeds.Length == 0)
            throw new ArgumentException("Ungrokking needs at least one D′, one weight decay and one subset seed.");
        foreach (var d in sizes.Where(d => d < 1 || d > grokkedOn.TrainSize))
            throw new ArgumentOutOfRangeException(
                nameof(sizes),
                $"D′ must lie in [1, {grokkedOn.TrainSize}] (the examples the networks grokked on), not {d}."
            );
        Settling.RequireWeightDecays(weightDecays, nameof(weightDecays));
        settling.Validate();
        optimiser.Validate();
        var key = Key(grokkedCheckpoints, grokkedOn, seeds, settling, optimiser);
        var jobs = sizes.OrderByDescending(s => s).SelectMany(d => weightDecays.Select(wd => new UngrokkingJob(d, wd)));
        return store.SweepMany(
            key,
            jobs,
            job =>
            {
                var runs = (
                    from n in Enumerable.Range(0, grokkedCheckpoints.Count)
                    from seed in seeds
                    select (Network: n, Seed: seed)
                ).ToList();
                var states = runs.Select(r =>
                    {
                        var state = TrainingState.Load(grokkedCheckpoints[r.Network], device);
                        state.ResetOptimizer();
                        return state;
                    })
                    .ToList();
                try
                {
                    var config = optimiser with { WeightDecay = job.WeightDecay };
                    var subsets = runs.Select(r => NestedSubsets(grokkedOn, [job.SubsetSize], r.Seed)[0]).ToList();
                    var logs = settling.Train(states, subsets, runs.Select(_ => config).ToList(), cancel);
                    var scale = Settling.StepsPerTimeScale(config.LearningRate, job.WeightDecay);
                    return runs.Select(
                            (r, i) =>
                            {
                                var (first, last) = (logs[i][0], logs[i][^1]);
                                return new UngrokkingRun(
                                    grokkedOn.Table.P,
                                    job.SubsetSize,
                                    job.WeightDecay,
                                    r.Seed,
                                    r.Network,
                                    (last.Step - first.Step) * config.LearningRate * job.WeightDecay,
                                    settling.Holds(logs[i], scale),
                                    settling.Swing(logs[i], scale),
                                    first.TestAccuracy,
                                    last.TrainLoss,
                                    last.TrainAccuracy,
                                    last.TestLoss,
                                    last.TestAccuracy,
                                    last.ParameterNorm
                                );
                            }
                        )
                        .ToList();
                }
                finally
                {
                    foreach (var s in states)
                        s.Dispose();
                }
            },
            progress,
            cancel
        );
    }

    /// <summary>Every ungrokking sweep saved in <paramref name="store"/> for (a + b) mod <paramref name="p"/>, with
    /// the learning rate it ran at, read back without computing anything: for a notebook that compares its own D_crit
    /// with the crossings notebook 05 measured.</summary>
    public static List<(string Stem, SweepSettings Settings, List<UngrokkingRun> Runs)> Saved(
        ResultsStore store,
        int p
    ) => store.SavedSweeps<SweepSettings, UngrokkingRun>($"ungrokking-p{p}");

    /// <summary>D′ where mean test accuracy crosses 0.5 (log-linear between the sizes around it), with a bootstrap
    /// 95% interval that resamples the grokked networks (the independent units) and, within each, its subsets. Null
    /// when it does not cross inside the sizes.</summary>
    public static (double? Crossing, Statistics.Interval? Interval) Crossing(
        IReadOnlyList<UngrokkingRun> runs,
        int seed = 0,
        int resamples = 1000
    )
    {
        static double? Cross(IEnumerable<UngrokkingRun> rs) =>
            EfficiencyCurves.CrossingSize(
                rs.GroupBy(r => r.SubsetSize)
                    .Select(g => (g.Key, g.Average(r => r.TestAccuracy)))
                    .OrderBy(x => x.Key)
                    .ToList(),
                0.5
            );
        var point = Cross(runs);
        var networks = runs.GroupBy(r => r.Network).Select(g => g.ToList()).ToList();
        var rng = new Random(seed);
        var values = new List<double>();
        for (var b = 0; b < resamples; b++)
        {
            var draw = Enumerable
                .Range(0, networks.Count)
                .SelectMany(_ =>
                {
                    var net = networks[rng.Next(networks.Count)];
                    return net.GroupBy(r => r.SubsetSize)
                        .SelectMany(g =>
                        {
                            var rows = g.ToList();
                            return rows.Select(_ => rows[rng.Next(rows.Count)]);
                        });
                });
            if (Cross(draw) is double v)
                values.Add(v);
        }
        return (point, Statistics.Bootstrap.Percentiles(point, values, resamples));
    }

    /// <summary>Per (weight decay, D′): the runs, how many settled and how long they trained, mean final test
    /// accuracy with a bootstrap interval over runs, and the lowest train accuracy (for the paper's Figs. 4 and 7).
    /// </summary>
    public static List<UngrokkingPoint> Summary(IEnumerable<UngrokkingRun> runs) =>
        runs.GroupBy(r => (r.WeightDecay, r.SubsetSize))
            .OrderBy(g => g.Key.WeightDecay)
            .ThenBy(g => g.Key.SubsetSize)
            .Select(g => new UngrokkingPoint(
                g.Key.WeightDecay,
                g.Key.SubsetSize,
                g.Count(),
                g.Select(r => r.Network).Distinct().Count(),
                g.Count(r => r.Settled),
                g.Min(r => r.TimeScales),
                g.Max(r => r.TimeScales),
                Statistics.Bootstrap.Mean(g.Select(r => r.TestAccuracy).ToList(), seed: 0),
                g.Min(r => r.TrainAccuracy)
            ))
            .ToList();

    /// <summary>The crossing of 0.5 (<see cref="Crossing"/>) at each weight decay.</summary>
    public static List<UngrokkingCrossing> Crossings(IReadOnlyList<UngrokkingRun> runs, int tableSize) =>
        runs.Select(r => r.WeightDecay)
            .Distinct()
            .Order()
            .Select(wd =>
            {
                var at = runs.Where(r => r.WeightDecay == wd).ToList();
                var (crossing, interval) = Crossing(at);
                return new UngrokkingCrossing(
                    wd,
                    crossing,
                    interval,
                    crossing / tableSize,
                    at.Count,
                    at.Count(r => r.Settled)
                );
            })
            .ToList();
}

/// <summary>The ungrokking runs at one (weight decay, D′): <c>TestAccuracy</c> is the mean final test accuracy with a
/// bootstrap 95% interval over runs.</summary>
public sealed record UngrokkingPoint(
    double WeightDecay,
    int SubsetSize,
    int Runs,
    int Networks,
    int Settled,
    double FewestTimeScales,
    double MostTimeScales,
    Statistics.Interval TestAccuracy,
    double MinTrainAccuracy
);

/// <summary>Where mean test accuracy after ungrokking falls through 0.5 at one weight decay, with its bootstrap 95%
/// interval over grokked networks (null where it does not cross inside the sizes).</summary>
public sealed record UngrokkingCrossing(
    double WeightDecay,
    double? Crossing,
    Statistics.Interval? Interval,
    double? ShareOfTable,
    int Runs,
    int Settled
);
