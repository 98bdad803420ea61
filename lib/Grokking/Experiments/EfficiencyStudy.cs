using ScienceOfDL.Results;
using static TorchSharp.torch;

namespace ScienceOfDL.Grokking;

/// <summary>One job of the study: every network of one kind at one weight decay, trained as one ensemble.</summary>
public sealed record EfficiencyStudyJob(CircuitKind Kind, double WeightDecay);

/// <summary>How the runs of one kind at one weight decay ended: how many are usable
/// (<see cref="EfficiencyRun.Usable"/>), how many settled, how long they trained (time scales 1/(lr·wd)) and the
/// largest norm swing over a run's last 5.
/// </summary>
public sealed record SettlingSummary(
    CircuitKind Kind,
    double WeightDecay,
    int Runs,
    int Usable,
    int Settled,
    double FewestTimeScales,
    double MostTimeScales,
    double LargestSwing
);

/// <summary>
/// Varma et al. (2023) §5.1 and App. B measured with seeds: memorising networks at several D and generalising networks
/// at several larger D, each trained at several weight decays until its norm has settled (<see cref="Settling"/>),
/// where cross-entropy and weight decay balance. Each (kind, D) then gives a curve of logit reached against parameter
/// norm across the weight decays; <see cref="EfficiencyCurves"/> reads the norm each curve needs for a given logit
/// (its efficiency) and D_crit from them.
/// </summary>
public static class EfficiencyStudy
{
    /// <summary>Networks grokked on <paramref name="split"/> from init seeds 0..count−1, trained as one ensemble and
    /// saved per run exactly as <see cref="Trainer.Train"/> saves a run of this kind (so a run another notebook saved
    /// under the same settings is read back).</summary>
    public static List<TrainingState> GrokkedNetworks(
        Split split,
        int count,
        TrainConfig config,
        ResultsStore store,
        Device? device = null,
        IProgress<(int Run, StepMetrics Metrics)>? progress = null,
        CancellationToken cancel = default
    )
    {
        if (count < 1)
            throw new ArgumentOutOfRangeException(nameof(count), $"At least one network, not {count}.");
        var states = Enumerable
            .Range(0, count)
            .Select(s => TrainingState.Create(TransformerConfig.For(split.Table), s, device))
            .ToList();
        EnsembleRuns.Train(
            states,
            states.Select(_ => split).ToList(),
            states.Select(_ => config).ToList(),
            store,
            states.Select(_ => $"grokking-p{split.Table.P}").ToList(),
            progress,
            cancel
        );
        return states;
    }

    /// <summary>
    /// The study: for each weight decay, memorising networks at <paramref name="memorisingSizes"/> and generalising
    /// networks at <paramref name="generalisingSizes"/>, one per grokked network (seeds 0..n−1 for both kinds), each
    /// trained until settled by <paramref name="settling"/> with <paramref name="optimiser"/>'s learning rate, betas,
    /// eps and loss precision. Saved under one key (the grokked checkpoints by checksum, the memorising networks'
    /// model, the optimiser, the sizes, the settling rule); each (kind, weight decay) ensemble is appended as it
    /// finishes, so an interrupted study resumes.
    /// </summary>
    public static List<EfficiencyRun> Run(
        OperationTable table,
        IReadOnlyList<string> grokkedCheckpoints,
        int[] memorisingSizes,
        int[] generalisingSizes,
        double[] weightDecays,
        Settling settling,
        TrainConfig optimiser,
        ResultsStore store,
        TransformerConfig? model = null,
        Device? device = null,
        IProgress<EfficiencyRun>? progress = null,
        CancellationToken cancel = default
    )
    {
        if (grokkedCheckpoints.Count == 0)
            throw new ArgumentException("The study needs at least one grokked network.");
        if (memorisingSizes.Length == 0 || generalisingSizes.Length == 0 || weightDecays.Length == 0)
            throw new ArgumentException("The study needs memorising sizes, generalising sizes and weight decays.");
        foreach (var d in memorisingSizes.Concat(generalisingSizes).Where(d => d < 1 || d >= table.Count))
            throw new ArgumentOutOfRangeException(
                nameof(memorisingSizes),
                $"Every D must lie in [1, {table.Count - 1}] (the table has {table.Count} pairs), not {d}."
            );
        Settling.RequireWeightDecays(weightDecays, nameof(weightDecays));
        settling.Validate();
        optimiser.Validate();
        model ??= TransformerConfig.For(table);
        var key = Key(table, grokkedCheckpoints, memorisingSizes, generalisingSizes, settling, optimiser, model);
        var jobs = weightDecays.SelectMany(wd =>
            new[] { CircuitKind.Generalising, CircuitKind.Memorising }.Select(kind => new EfficiencyStudyJob(kind, wd))
        );
        return store.SweepMany(
            key,
            jobs,
            job =>
                Ensemble(
                    table,
                    grokkedCheckpoints,
                    job,
                    job.Kind == CircuitKind.Memorising ? memorisingSizes : generalisingSizes,
                    settling,
                    optimiser,
                    model,
                    device,
                    cancel
                ),
            progress,
            cancel
        );
    }

    /// <summary>Per (kind, weight decay): usable, settled, how long (<see cref="SettlingSummary"/>).</summary>
    public static List<SettlingSummary> Settled(IEnumerable<EfficiencyRun> runs) =>
        runs.GroupBy(r => (r.Kind, r.WeightDecay))
            .OrderBy(g => g.Key.Kind)
            .ThenBy(g => g.Key.WeightDecay)
            .Select(g => new SettlingSummary(
                g.Key.Kind,
                g.Key.WeightDecay,
                g.Count(),
                g.Count(r => r.Usable),
                g.Count(r => r.Settled),
                g.Min(r => r.TimeScales),
                g.Max(r => r.TimeScales),
                g.Max(r => r.NormSwing)
            ))
            .ToList();

    /// <summary>Every efficiency study saved in <paramref name="store"/> for (a + b) mod <paramref name="p"/>, with
    /// the learning rate it ran at, read back without computing anything: for notebook 05, which compares its
    /// ungrokking crossings with notebook 04's D_crit.</summary>
    public static List<(string Stem, StudySettings Settings, List<EfficiencyRun> Runs)> Saved(
        ResultsStore store,
        int p
    ) => store.SavedSweeps<StudySettings, EfficiencyRun>($"efficiency-study-p{p}");

    /// <summary>Every run of every study saved for (a + b) mod <paramref name="p"/> at this learning rate, pooled the
    /// way notebook 04 pools its weight-decay sweep and its sweep of Adam's ε; a run two studies share (same ε, kind,
    /// D, weight decay and seed) counts once.</summary>
    public static List<EfficiencyRun> SavedRuns(ResultsStore store, int p, double learningRate) =>
        Saved(store, p)
            .Where(s => s.Settings.Optimiser.LearningRate == learningRate)
            .SelectMany(s => s.Runs.Select(r => (s.Settings.Optimiser.Eps, Run: r)))
            .DistinctBy(x => (x.Eps, x.Run.Kind, x.Run.TrainSize, x.Run.WeightDecay, x.Run.Seed))
            .Select(x => x.Run)
            .ToList();

    /// <summary>What the study is saved under (each job adds its kind and weight decay): a named record, so renaming
    /// a variable cannot re-key saved results. <c>Optimiser</c> has the run-specific fields (steps, weight decay,
    /// cadences) zeroed: the study sets those itself.</summary>
    public sealed record StudySettings(
        string[] Grokked,
        TransformerConfig Model,
        TrainConfig Optimiser,
        int[] MemorisingSizes,
        int[] GeneralisingSizes,
        Settling Settling,
        int CodeVersion
    );

    public static ResultKey Key(
        OperationTable table,
        IReadOnlyList<string> grokkedCheckpoints,
        int[] memorisingSizes,
        int[] generalisingSizes,
        Settling settling,
        TrainConfig optimiser,
        TransformerConfig? model = null
    ) =>
        ResultKey.Of(
            $"efficiency-study-p{table.P}",
            new StudySettings(
                grokkedCheckpoints.Select(c => "sha256 " + TrainingState.Checksum(c)).ToArray(),
                model ?? TransformerConfig.For(table),
                optimiser with
                {
                    Steps = 0,
                    WeightDecay = 0,
                    EvalEvery = 0,
                    CheckpointEvery = 0,
                },
                memorisingSizes,
                generalisingSizes,
                settling,
                Trainer.CodeVersion
            )
        );

    static List<EfficiencyRun> Ensemble(
        OperationTable table,
        IReadOnlyList<string> grokkedCheckpoints,
        EfficiencyStudyJob job,
        int[] sizes,
        Settling settling,
        TrainConfig optimiser,
        TransformerConfig model,
        Device? device,
        CancellationToken cancel
    )
    {
        var runs = (
            from d in sizes
            from s in Enumerable.Range(0, grokkedCheckpoints.Count)
            select (D: d, Seed: s)
        ).ToList();
        var splits = runs.Select(r => DataOf(table, job.Kind, r.D, r.Seed)).ToList();
        var states = runs.Select(r => StartOf(grokkedCheckpoints, job.Kind, r.Seed, model, device)).ToList();
        try
        {
            var config = optimiser with { WeightDecay = job.WeightDecay };
            var logs = settling.Train(states, splits, runs.Select(_ => config).ToList(), cancel);
            var scale = Settling.StepsPerTimeScale(config.LearningRate, job.WeightDecay);
            var trueTable = Split.BySize(table, sizes[0], 0); // the trig share reads the whole true table
            return runs.Select(
                    (r, i) =>
                    {
                        var (first, last) = (logs[i][0], logs[i][^1]);
                        var swing = settling.Swing(logs[i], scale);
                        return new EfficiencyRun(
                            job.Kind,
                            r.D,
                            job.WeightDecay,
                            r.Seed,
                            (last.Step - first.Step) * config.LearningRate * job.WeightDecay,
                            settling.Holds(logs[i], scale),
                            swing,
                            last.ParameterNorm,
                            last.CorrectLogit,
                            last.TrainLoss,
                            last.TrainAccuracy,
                            job.Kind == CircuitKind.Memorising ? double.NaN : last.TestAccuracy,
                            Fourier.Analyse(states[i].Model, trueTable).TrigShare
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
    }

    /// <summary>A run's training set: D examples of the true table, or (memorising) of its seed's random labels.
    /// </summary>
    static Split DataOf(OperationTable table, CircuitKind kind, int size, int seed) =>
        Split.BySize(kind == CircuitKind.Memorising ? table.WithRandomLabels(seed) : table, size, seed);

    /// <summary>A run's start: a fresh network (memorising) or its seed's grokked network with a fresh optimiser.
    /// </summary>
    static TrainingState StartOf(
        IReadOnlyList<string> grokkedCheckpoints,
        CircuitKind kind,
        int seed,
        TransformerConfig model,
        Device? device
    )
    {
        if (kind == CircuitKind.Memorising)
            return TrainingState.Create(model, seed, device);
        var state = TrainingState.Load(grokkedCheckpoints[seed], device);
        state.ResetOptimizer();
        return state;
    }
}
