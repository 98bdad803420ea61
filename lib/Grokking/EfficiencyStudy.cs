using ScienceOfDL.Results;
using ScienceOfDL.Statistics;
using static TorchSharp.torch;

namespace ScienceOfDL.Grokking;

/// <summary>One network of the efficiency study where its run ended. <c>Seed</c>: for a memorising network the seed of
/// its random labels, training subset and initialisation; for a generalising one the grokked network it continued
/// (whose init seed it is) and the seed of its training subset. <c>Steps</c>: the steps it trained (past the study's
/// time scales when it went on to settle). <c>NormChange</c>: relative change of the parameter norm over the run's last
/// weight-decay time scale 1/(lr·wd) (near 0 once the norm has settled).
/// <c>TrigShare</c>: the share of the logits' norm on the full table that is trigonometric (<see
/// cref="Fourier.Analyse"/>).</summary>
public sealed record EfficiencyRun(string Kind, int TrainSize, double WeightDecay, int Seed, int Steps,
    double ParameterNorm, double CorrectLogit, double TrainAccuracy, double TestAccuracy, double TrigShare,
    double NormChange)
{
    /// <summary>A memorising network counts once it has memorised (train accuracy ≥ 0.99); a generalising one once
    /// its logits are mostly trigonometric (trig share ≥ 0.9; the paper asks for 0.95).</summary>
    public bool Usable => Kind == Efficiency.Memorising
        ? TrainAccuracy >= EfficiencyStudy.MinTrainAccuracy
        : TrigShare >= EfficiencyStudy.MinTrigShare;

    /// <summary>The norm moved by at most 2% over the last time scale.</summary>
    public bool Settled => Math.Abs(NormChange) <= EfficiencyStudy.MaxNormChange;
}

/// <summary>A run of the study trained on for <c>TimeScales</c> (<see cref="EfficiencyStudy.Prolong"/>): over the
/// second half of that time (or the window <see cref="EfficiencyStudy.Summarise"/> was given), the range and mean of
/// its norm and logit, and its lowest train and test accuracy; <c>PassedSettlingAt</c>, the time scales at which its
/// norm had moved by at most 2% over the last time scale.</summary>
public sealed record ProlongedRun(EfficiencyRun Run, double TimeScales, double NormLow, double NormHigh,
    double LogitLow, double LogitHigh, double MinTestAccuracy, IReadOnlyList<double> PassedSettlingAt,
    double NormMean, double LogitMean, double MinTrainAccuracy);

/// <summary>One job of the study: every network of one kind at one weight decay, trained as one ensemble.</summary>
public sealed record EfficiencyStudyJob(string Kind, double WeightDecay);

/// <summary>D_crit from the runs at some weight decays, read from one measure at equal weight decay ("norm": where the
/// memorising networks come to hold as much norm as the generalising ones; "logit": where their logit falls to the
/// generalising ones'), with a bootstrap 95% interval over the runs; without a crossing, <c>Where</c> says on which
/// side of the memorising sizes D_crit lies.</summary>
public sealed record CriticalSizeEstimate(string Measure, string WeightDecays, double? CriticalSize, Interval? Interval,
    double? ShareOfTable, string Where, int MemorisingRuns, int GeneralisingRuns);

/// <summary>
/// Varma et al. (2023) §5.1 measured with seeds: memorising networks (fresh, random labels, so only a lookup table
/// can fit them) at several D, and generalising networks (grokked networks continued on D true-label examples) at
/// several larger D, each at several weight decays, all trained for the same number of weight-decay time scales
/// 1/(lr·wd) so that each weight decay has had the same time to pull the norm to where it balances the loss. At equal
/// weight decay the more efficient circuit ends with the smaller norm and the larger logit: memorising's norm grows
/// (and its logit falls) as D grows, generalising's should not depend on D, and D_crit is where the two meet.
/// </summary>
public static class EfficiencyStudy
{
    public const double MinTrainAccuracy = 0.99, MinTrigShare = 0.9, MaxNormChange = 0.02;

    /// <summary>Networks grokked on <paramref name="split"/> from init seeds 0..count−1, trained as one ensemble and
    /// saved per run exactly as <see cref="Trainer.Train"/> saves a run of this kind (so a run another notebook saved
    /// under the same settings is read back).</summary>
    public static List<TrainingState> GrokkedNetworks(Split split, int count, TrainConfig config, ResultsStore store,
        Device? device = null, IProgress<(int Run, StepMetrics Metrics)>? progress = null,
        CancellationToken cancel = default)
    {
        var states = Enumerable.Range(0, count)
            .Select(s => TrainingState.Create(TransformerConfig.For(split.Table), s, device)).ToList();
        EnsembleRuns.Train(states, states.Select(_ => split).ToList(), states.Select(_ => config).ToList(), store,
            states.Select(_ => $"grokking-p{split.Table.P}").ToList(), progress, cancel);
        return states;
    }

    /// <summary>Steps of <paramref name="timeScales"/> time scales 1/(lr·wd).</summary>
    public static int Steps(double timeScales, double learningRate, double weightDecay) =>
        (int)Math.Round(timeScales / (learningRate * weightDecay));

    /// <summary>
    /// The study: for each weight decay, memorising networks at <paramref name="memorisingSizes"/> and generalising
    /// networks at <paramref name="generalisingSizes"/>, one per grokked network (seeds 0..n−1 for both kinds), each
    /// run for <paramref name="timeScales"/> time scales. With <paramref name="maxTimeScales"/>, a run that has not
    /// settled by then (<see cref="EfficiencyRun.Settled"/>) goes on, checked every half time scale, until it has or
    /// it reaches that many time scales; it is read where it stopped. Saved under one key (the grokked checkpoints by
    /// checksum, the memorising networks' model, the optimiser, the grid, the stopping rule); each (kind, weight decay)
    /// ensemble is appended as it finishes, so an interrupted study resumes.
    /// </summary>
    public static List<EfficiencyRun> Run(OperationTable table, IReadOnlyList<string> grokkedCheckpoints,
        int[] memorisingSizes, int[] generalisingSizes, double[] weightDecays, double timeScales, TrainConfig optimiser,
        ResultsStore store, TransformerConfig? model = null, Device? device = null,
        IProgress<EfficiencyRun>? progress = null, CancellationToken cancel = default, double? maxTimeScales = null)
    {
        if (grokkedCheckpoints.Count == 0) throw new ArgumentException("The study needs at least one grokked network.");
        if (memorisingSizes.Length == 0 || generalisingSizes.Length == 0 || weightDecays.Length == 0)
            throw new ArgumentException("The study needs memorising sizes, generalising sizes and weight decays.");
        if (memorisingSizes.Concat(generalisingSizes).Any(d => d < 1 || d >= table.Count))
            throw new ArgumentOutOfRangeException(nameof(memorisingSizes),
                $"Every D must lie in [1, {table.Count - 1}] (the table has {table.Count} pairs).");
        if (weightDecays.Any(wd => !(wd > 0)) || !(timeScales > 0))
            throw new ArgumentOutOfRangeException(nameof(weightDecays),
                "Weight decays and the number of time scales must be positive: the run length is timeScales/(lr·wd).");
        if (maxTimeScales < timeScales)
            throw new ArgumentOutOfRangeException(nameof(maxTimeScales),
                $"maxTimeScales ({maxTimeScales}) must be at least timeScales ({timeScales}).");
        if (maxTimeScales == timeScales) maxTimeScales = null;   // no run goes on: the fixed-length study
        model ??= TransformerConfig.For(table);
        var key = Key(table, grokkedCheckpoints, memorisingSizes, generalisingSizes, timeScales, optimiser, model,
            maxTimeScales);
        var jobs = weightDecays.SelectMany(wd => new[]
            { new EfficiencyStudyJob(Efficiency.Generalising, wd), new EfficiencyStudyJob(Efficiency.Memorising, wd) });
        return store.SweepMany(key, jobs, job => Ensemble(table, grokkedCheckpoints, job,
            job.Kind == Efficiency.Memorising ? memorisingSizes : generalisingSizes, timeScales, maxTimeScales,
            optimiser, model, device, cancel), progress, cancel);
    }

    /// <summary>The key the study is saved under: the grokked checkpoints by checksum, the memorising networks'
    /// model, the optimiser, the run length in time scales, the stopping rule when runs go on until they settle, and
    /// both kinds' sizes (each job carries kind and weight decay).</summary>
    public static ResultKey Key(OperationTable table, IReadOnlyList<string> grokkedCheckpoints, int[] memorisingSizes,
        int[] generalisingSizes, double timeScales, TrainConfig optimiser, TransformerConfig? model = null,
        double? maxTimeScales = null)
    {
        var study = new
        {
            Grokked = grokkedCheckpoints.Select(c => "sha256 " + TrainingState.Checksum(c)).ToArray(),
            Model = model ?? TransformerConfig.For(table), Train = optimiser.Settings(), timeScales, memorisingSizes,
            generalisingSizes, Trainer.CodeVersion,
        };
        // Fixed-length studies keep the key they were saved under before runs could go on.
        return maxTimeScales is null ? ResultKey.Of($"efficiency-study-p{table.P}", study)
            : ResultKey.Of($"efficiency-study-p{table.P}", new
            {
                study, UntilSettled = new { maxTimeScales, MaxNormChange, CheckEvery = "half a time scale" },
            });
    }

    static List<EfficiencyRun> Ensemble(OperationTable table, IReadOnlyList<string> grokkedCheckpoints,
        EfficiencyStudyJob job, int[] sizes, double timeScales, double? maxTimeScales, TrainConfig optimiser,
        TransformerConfig model, Device? device, CancellationToken cancel)
    {
        var memorising = job.Kind == Efficiency.Memorising;
        var steps = Steps(timeScales, optimiser.LearningRate, job.WeightDecay);
        var scale = Math.Max(1, Steps(1, optimiser.LearningRate, job.WeightDecay));
        var check = maxTimeScales is null ? scale : Math.Max(1, scale / 2);
        var maxSteps = maxTimeScales is { } m ? Steps(m, optimiser.LearningRate, job.WeightDecay) : steps;
        var config = optimiser with { Steps = steps, WeightDecay = job.WeightDecay, EvalEvery = check };
        var runs = (from d in sizes from s in Enumerable.Range(0, grokkedCheckpoints.Count) select (D: d, Seed: s))
            .ToList();
        var splits = runs.Select(r => DataOf(table, job.Kind, r.D, r.Seed)).ToList();
        var states = runs.Select(r => StartOf(grokkedCheckpoints, job.Kind, r.Seed, model, device)).ToList();
        try
        {
            var logs = EnsembleTrainer.Train(states, splits, runs.Select(_ => config).ToList(), cancel: cancel);
            double NormChange(List<StepMetrics> log) => NormChangeAt(log, log.Count - 1, scale);
            int Trained(int i) => logs[i][^1].Step - logs[i][0].Step;
            // Runs that have not settled go on half a time scale at a time, together, until they do or reach the cap.
            while (Enumerable.Range(0, runs.Count).Where(i => Trained(i) < maxSteps
                       && Math.Abs(NormChange(logs[i])) > MaxNormChange).ToList() is { Count: > 0 } going)
            {
                var more = EnsembleTrainer.Train(going.Select(i => states[i]).ToList(),
                    going.Select(i => splits[i]).ToList(),
                    going.Select(i => config with { Steps = Math.Min(check, maxSteps - Trained(i)) }).ToList(),
                    cancel: cancel);
                for (var k = 0; k < going.Count; k++) logs[going[k]].AddRange(more[k].Skip(1)); // row 0: the start
            }
            var trueLabels = Split.BySize(table, sizes[0], 0);   // the trig share reads the whole true table
            return runs.Select((r, i) =>
            {
                var last = logs[i][^1];
                return new EfficiencyRun(job.Kind, r.D, job.WeightDecay, r.Seed, Trained(i), last.ParameterNorm,
                    last.CorrectLogit, last.TrainAccuracy, memorising ? double.NaN : last.TestAccuracy,
                    Fourier.Analyse(states[i].Model, trueLabels).TrigShare, NormChange(logs[i]));
            }).ToList();
        }
        finally
        {
            foreach (var s in states) s.Dispose();
        }
    }

    /// <summary>A run's training set: D examples of the true table, or (memorising) of its seed's random labels.
    /// </summary>
    static Split DataOf(OperationTable table, string kind, int size, int seed) =>
        Split.BySize(kind == Efficiency.Memorising ? table.WithRandomLabels(seed) : table, size, seed);

    /// <summary>A run's start: a fresh network (memorising) or its seed's grokked network with a fresh optimiser.
    /// </summary>
    static TrainingState StartOf(IReadOnlyList<string> grokkedCheckpoints, string kind, int seed,
        TransformerConfig model, Device? device)
    {
        if (kind == Efficiency.Memorising) return TrainingState.Create(model, seed, device);
        var state = TrainingState.Load(grokkedCheckpoints[seed], device);
        state.ResetOptimizer();
        return state;
    }

    /// <summary>
    /// What runs of the study do instead of settling: each of <paramref name="runs"/> trained again from its start
    /// (same data, network and optimiser as in <see cref="Run"/>) for <paramref name="timeScales"/> time scales,
    /// measured every half time scale. Saved run by run with checkpoints (kind <c>efficiency-prolonged-p{p}</c>), so
    /// an interrupted trace resumes and a finished one is read back. Returns each run's log, in the order given.
    /// </summary>
    public static List<List<StepMetrics>> Prolong(OperationTable table, IReadOnlyList<string> grokkedCheckpoints,
        IReadOnlyList<EfficiencyRun> runs, double timeScales, TrainConfig optimiser, ResultsStore store,
        TransformerConfig? model = null, Device? device = null,
        IProgress<(int Run, StepMetrics Metrics)>? progress = null, CancellationToken cancel = default)
    {
        if (!(timeScales > 0)) throw new ArgumentOutOfRangeException(nameof(timeScales), "Must be positive.");
        if (runs.Any(r => r.Kind == Efficiency.Generalising && r.Seed >= grokkedCheckpoints.Count))
            throw new ArgumentException("A generalising run's seed names a grokked network that is not given.");
        if (runs.Count == 0) return [];
        model ??= TransformerConfig.For(table);
        var configs = runs.Select(r => optimiser with
        {
            Steps = Steps(timeScales, optimiser.LearningRate, r.WeightDecay), WeightDecay = r.WeightDecay,
            EvalEvery = Math.Max(1, Steps(0.5, optimiser.LearningRate, r.WeightDecay)),
        }).ToList();
        var splits = runs.Select(r => DataOf(table, r.Kind, r.TrainSize, r.Seed)).ToList();
        var states = runs.Select(r => StartOf(grokkedCheckpoints, r.Kind, r.Seed, model, device)).ToList();
        var logs = new List<StepMetrics>[runs.Count];
        try
        {
            // One ensemble per network shape: an ensemble batches networks of equal sizes only.
            foreach (var shape in Enumerable.Range(0, runs.Count).GroupBy(i => states[i].Model.Config))
            {
                var ids = shape.ToList();
                var kindLogs = EnsembleRuns.Train(ids.Select(i => states[i]).ToList(),
                    ids.Select(i => splits[i]).ToList(), ids.Select(i => configs[i]).ToList(), store,
                    ids.Select(_ => $"efficiency-prolonged-p{table.P}").ToList(),
                    progress is null ? null : new RunNumbers(progress, ids), cancel, logsSuffice: true);
                for (var k = 0; k < ids.Count; k++) logs[ids[k]] = kindLogs[k];
            }
            return logs.ToList();
        }
        finally
        {
            foreach (var s in states) s.Dispose();
        }
    }

    /// <summary>Relative change of the parameter norm over the <paramref name="scale"/> steps (one time scale) before
    /// measurement <paramref name="at"/> of <paramref name="log"/>, from the measurement nearest that far
    /// back.</summary>
    static double NormChangeAt(IReadOnlyList<StepMetrics> log, int at, int scale)
    {
        var before = log.Take(at + 1).MinBy(x => Math.Abs(x.Step - (log[at].Step - scale)))!;
        return (log[at].ParameterNorm - before.ParameterNorm) / log[at].ParameterNorm;
    }

    /// <summary>A prolonged run (<see cref="Prolong"/>) read over the second half of its time (or
    /// <paramref name="window"/>): the range of its norm and logit there, its lowest test accuracy there, and the time
    /// scales (from <paramref name="fromTimeScales"/> on, every half time scale) at which its norm passed the study's
    /// settling test.</summary>
    /// <param name="window">Where the range, means and lowest accuracies are read instead, as shares of the trace's
    /// time: [from, to), or [from, 1] when to is 1; the second half by default. Windows that split the second half,
    /// such as (0.5, 0.75) and (0.75, 1), ask whether the means themselves have settled.</param>
    public static ProlongedRun Summarise(EfficiencyRun run, IReadOnlyList<StepMetrics> log, double learningRate,
        double fromTimeScales, (double From, double To)? window = null)
    {
        var (from, to) = window ?? (0.5, 1.0);
        if (!(0 <= from && from < to && to <= 1))
            throw new ArgumentOutOfRangeException(nameof(window), $"Need 0 ≤ from < to ≤ 1, got ({from}, {to}).");
        var scale = Math.Max(1, Steps(1, learningRate, run.WeightDecay));
        double TimeScalesAt(StepMetrics m) => (m.Step - log[0].Step) * learningRate * run.WeightDecay;
        var total = TimeScalesAt(log[^1]);
        var late = log.Where(m => TimeScalesAt(m) >= from * total && (to == 1 || TimeScalesAt(m) < to * total))
            .ToList();
        if (late.Count == 0)
            throw new ArgumentException($"No measurement in [{from}, {to}) of the trace.", nameof(window));
        var passed = Enumerable.Range(0, log.Count).Where(i => TimeScalesAt(log[i]) >= fromTimeScales - 0.01
            && Math.Abs(NormChangeAt(log, i, scale)) <= MaxNormChange).Select(i => TimeScalesAt(log[i])).ToList();
        return new ProlongedRun(run, total, late.Min(m => m.ParameterNorm), late.Max(m => m.ParameterNorm),
            late.Min(m => m.CorrectLogit), late.Max(m => m.CorrectLogit), late.Min(m => m.TestAccuracy), passed,
            late.Average(m => m.ParameterNorm), late.Average(m => m.CorrectLogit), late.Min(m => m.TrainAccuracy));
    }

    /// <summary>The study with each traced run (<see cref="Summarise"/>) read as its time average instead of its
    /// value at one moment: its norm and logit become their means over the window it was read over (by default the
    /// second half of its trace). A norm that cycles has no settled value, but it has a mean; a run that settled
    /// keeps (nearly) its value. Runs not traced are returned unchanged.</summary>
    public static List<EfficiencyRun> TimeAveraged(IReadOnlyList<EfficiencyRun> runs,
        IReadOnlyList<ProlongedRun> traced)
    {
        var means = new Dictionary<EfficiencyRun, ProlongedRun>();
        foreach (var t in traced)
            if (!means.TryAdd(t.Run, t)) throw new ArgumentException($"Run traced twice: {t.Run}.", nameof(traced));
        if (means.Keys.FirstOrDefault(r => !runs.Contains(r)) is { } stray)
            throw new ArgumentException($"A traced run is not in the study: {stray}.", nameof(traced));
        return runs.Select(r => means.TryGetValue(r, out var t)
            ? r with { ParameterNorm = t.NormMean, CorrectLogit = t.LogitMean } : r).ToList();
    }

    /// <summary>Reports a sub-ensemble's progress under the runs' numbers in the whole list (synchronously, unlike
    /// <see cref="Progress{T}"/>, so rows arrive in order).</summary>
    sealed class RunNumbers(IProgress<(int Run, StepMetrics Metrics)> inner, List<int> ids)
        : IProgress<(int Run, StepMetrics Metrics)>
    {
        public void Report((int Run, StepMetrics Metrics) value) => inner.Report((ids[value.Run], value.Metrics));
    }

    /// <summary>The two readings of "more efficient" at equal weight decay. At an equilibrium of cross-entropy and
    /// weight decay the more efficient circuit ends with the larger logit and the smaller norm, so both should place
    /// D_crit at the same D; where they do not, the networks are not the one-circuit idealisation.</summary>
    public const string ByNorm = "norm", ByLogit = "logit";

    /// <summary>
    /// D_crit from the usable runs at <paramref name="weightDecays"/>: at each weight decay the memorising networks'
    /// mean <paramref name="measure"/> (norm or logit) at each D minus the generalising networks' mean (over all their
    /// sizes: the prediction is that it does not depend on D), averaged over the weight decays; D_crit is where that
    /// gap crosses 0 (log-linear between sizes; the crossing at the largest D if noise makes several). The interval
    /// resamples the runs of every (kind, D, weight decay) cell with replacement. Null when the gap does not cross
    /// inside the memorising sizes.
    /// </summary>
    public static CriticalSizeEstimate CriticalSize(IReadOnlyList<EfficiencyRun> runs,
        IReadOnlyList<double> weightDecays, int tableSize, string measure = ByNorm, int seed = 0, int resamples = 1000)
    {
        Func<EfficiencyRun, double> value = measure switch
        {
            ByNorm => r => r.ParameterNorm, ByLogit => r => r.CorrectLogit,
            _ => throw new ArgumentException($"measure is \"{ByNorm}\" or \"{ByLogit}\", not \"{measure}\"."),
        };
        var usable = runs.Where(r => r.Usable && weightDecays.Contains(r.WeightDecay)).ToList();
        var cells = usable.GroupBy(r => (r.Kind, r.TrainSize, r.WeightDecay)).Select(g => g.ToList()).ToList();
        var point = Gap(usable, weightDecays, value, out var gaps);
        var rng = new Random(seed);
        var values = new List<double>();
        for (var b = 0; b < resamples; b++)
        {
            var draw = cells.SelectMany(c => c.Select(_ => c[rng.Next(c.Count)])).ToList();
            if (Gap(draw, weightDecays, value, out _) is double v) values.Add(v);
        }
        var interval = Bootstrap.Percentiles(point, values, resamples);
        // Memorising is the worse deal where it needs more norm, or gets less logit, than generalising.
        var worse = gaps.Select(g => measure == ByNorm ? g.Gap > 0 : g.Gap < 0).ToList();
        var where = point is not null || gaps.Count == 0 ? ""
            : worse.All(w => w) ? $"below {gaps.Min(g => g.D)}: memorising is the worse deal at every D"
            : worse.All(w => !w) ? $"above {gaps.Max(g => g.D)}: memorising is the better deal at every D"
            : "the gap touches 0 without crossing";
        return new CriticalSizeEstimate(measure, string.Join(", ", weightDecays), point, interval,
            point / tableSize, where, usable.Count(r => r.Kind == Efficiency.Memorising),
            usable.Count(r => r.Kind == Efficiency.Generalising));
    }

    /// <summary>D_crit by norm, then by logit (<see cref="CriticalSize"/>): at each of <paramref name="weightDecays"/>
    /// alone, then pooled over <paramref name="pooledDecays"/> when there are at least two.</summary>
    public static List<CriticalSizeEstimate> CriticalSizes(IReadOnlyList<EfficiencyRun> runs,
        IReadOnlyList<double> weightDecays, IReadOnlyList<double> pooledDecays, int tableSize) =>
        new[] { ByNorm, ByLogit }.SelectMany(m => weightDecays
            .Select(wd => CriticalSize(runs, [wd], tableSize, m))
            .Concat(pooledDecays.Count > 1 ? [CriticalSize(runs, pooledDecays, tableSize, m)] : [])).ToList();

    static double? Gap(IReadOnlyList<EfficiencyRun> usable, IReadOnlyList<double> weightDecays,
        Func<EfficiencyRun, double> value, out List<(int D, double Gap)> bySize)
    {
        var gaps = new List<(int D, double Gap)>();
        bySize = [];
        foreach (var wd in weightDecays)
        {
            var gen = usable.Where(r => r.Kind == Efficiency.Generalising && r.WeightDecay == wd).ToList();
            if (gen.Count == 0) return null;
            var g = gen.Average(value);
            gaps.AddRange(usable.Where(r => r.Kind == Efficiency.Memorising && r.WeightDecay == wd)
                .GroupBy(r => r.TrainSize).Select(m => (m.Key, m.Average(value) - g)));
        }
        bySize = gaps.GroupBy(x => x.D).Where(x => x.Count() == weightDecays.Count)
            .Select(x => (x.Key, x.Average(y => y.Gap))).ToList();
        return bySize.Count == 0 ? null : Efficiency.CrossingSize(bySize, 0);
    }

    /// <summary>Mean (with a bootstrap 95% interval over runs) of one quantity per (kind, D, weight decay), usable
    /// runs only, for the study's tables and charts.</summary>
    public static List<(string Kind, int TrainSize, double WeightDecay, Interval Mean, int Runs)> Means(
        IEnumerable<EfficiencyRun> runs, Func<EfficiencyRun, double> value) =>
        runs.Where(r => r.Usable).GroupBy(r => (r.Kind, r.TrainSize, r.WeightDecay))
            .OrderBy(g => g.Key.Kind).ThenBy(g => g.Key.WeightDecay).ThenBy(g => g.Key.TrainSize)
            .Select(g => (g.Key.Kind, g.Key.TrainSize, g.Key.WeightDecay,
                Bootstrap.Mean(g.Select(value).ToList(), seed: 0), g.Count())).ToList();
}
