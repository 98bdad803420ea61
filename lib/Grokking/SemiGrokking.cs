using ScienceOfDL.Results;
using static TorchSharp.torch;

namespace ScienceOfDL.Grokking;

/// <summary>Summary of one from-scratch run at a training-set size near D_crit.</summary>
/// <param name="Outcome">"grokked" (final test accuracy ≥ 0.95); "semi-grokked" (it ended on a middling plateau, well
/// above the test accuracy it had when it had just memorised, and flat over the last fifth of the run); "still rising"
/// (middling but still climbing when the run ended: a plateau cannot be told from slow grokking yet); or
/// "memorised".</param>
/// <param name="TimeScales">The run's length in weight-decay time scales 1/(lr·wd), the clock of the norm's
/// relaxation and so of the competition between the circuits.</param>
/// <param name="IntermediateTimeScales">The longest stretch, in time scales, over which test accuracy stayed between
/// 0.2 and 0.8 (the semi-grokking criterion of issue 13: at least 5).</param>
public sealed record SemiGrokkingRun(int P, int TrainSize, int Seed, int Steps, double TestAccuracyWhenMemorised,
    double FinalTrainAccuracy, double FinalTestAccuracy, double MaxTestAccuracy, int? StepTestAboveHalfFinal,
    string Outcome, double TimeScales = double.NaN, double IntermediateTimeScales = double.NaN);

/// <summary>
/// Semi-grokking (Varma et al. 2023, §5.3 and App. A.1): near D_crit the two circuits are about equally efficient, so
/// the theory expects neither to win outright. Trained from scratch there, a network memorises, then after a long delay
/// its test accuracy rises to a middling level (the paper: ≈0.55–0.7 for p = 113, D in [1500, 2050], after 10⁶–10⁷
/// epochs).
/// </summary>
public static class SemiGrokking
{
    public const string Grokked = "grokked", SemiGrokked = "semi-grokked", StillRising = "still rising",
        Memorised = "memorised";

    public static string Classify(IReadOnlyList<StepMetrics> log)
    {
        var final = log[^1].TestAccuracy;
        var atMemorised = TestAccuracyWhenMemorised(log);
        if (final >= 0.95) return Grokked;
        if (final < 2 * atMemorised) return Memorised;
        // A take-off late in the run is "still rising" even while test accuracy is low: the run stopped mid-jump.
        var lastFifth = log.First(m => m.Step >= log[0].Step + 0.8 * (log[^1].Step - log[0].Step));
        if (final - lastFifth.TestAccuracy > 0.05) return StillRising;
        return final < 0.2 ? Memorised : SemiGrokked;
    }

    static double TestAccuracyWhenMemorised(IReadOnlyList<StepMetrics> log) =>
        (log.FirstOrDefault(m => m.TrainAccuracy >= 0.99) ?? log[^1]).TestAccuracy;

    /// <param name="config">The run's settings, for its time scale 1/(lr·wd); without it the time-scale fields are
    /// NaN.</param>
    public static SemiGrokkingRun Summarise(OperationTable table, int trainSize, int seed,
        IReadOnlyList<StepMetrics> log, TrainConfig? config = null)
    {
        var final = log[^1];
        var rise = log.FirstOrDefault(m => m.TestAccuracy >= final.TestAccuracy / 2
            && m.TestAccuracy > TestAccuracyWhenMemorised(log))?.Step;
        var perStep = config is null ? double.NaN : config.LearningRate * config.WeightDecay;
        return new SemiGrokkingRun(table.P, trainSize, seed, final.Step, TestAccuracyWhenMemorised(log),
            final.TrainAccuracy, final.TestAccuracy, log.Max(m => m.TestAccuracy), rise, Classify(log),
            (final.Step - log[0].Step) * perStep, LongestIntermediate(log) * perStep);
    }

    /// <summary>Steps of the longest stretch of logged rows whose test accuracy lies in [0.2, 0.8].</summary>
    public static int LongestIntermediate(IReadOnlyList<StepMetrics> log, double low = 0.2, double high = 0.8)
    {
        var (best, from) = (0, (int?)null);
        foreach (var m in log)
        {
            if (m.TestAccuracy < low || m.TestAccuracy > high) { from = null; continue; }
            from ??= m.Step;
            best = Math.Max(best, m.Step - from.Value);
        }
        return best;
    }

    /// <summary>Every (D, seed) run as one ensemble (<see cref="EnsembleRuns"/>), each saved under the key
    /// <see cref="Run"/> uses, so runs resume and are read back one by one. The search for semi-grokking near
    /// D_crit.</summary>
    public static List<(SemiGrokkingRun Summary, List<StepMetrics> Log)> Ensemble(OperationTable table, int[] sizes,
        int[] seeds, TrainConfig config, ResultsStore store, TransformerConfig? model = null, Device? device = null,
        IProgress<(int Run, StepMetrics Metrics)>? progress = null, CancellationToken cancel = default)
    {
        var jobs = seeds.SelectMany(seed => sizes.Select(size => (Size: size, Seed: seed))).ToList();
        var splits = jobs.Select(j => Split.BySize(table, j.Size, j.Seed)).ToList();
        var states = jobs.Select(j => TrainingState.Create(model ?? TransformerConfig.For(table), j.Seed, device))
            .ToList();
        try
        {
            var logs = EnsembleRuns.Train(states, splits, jobs.Select(_ => config).ToList(), store,
                jobs.Select(j => $"semigrok-p{table.P}-D{j.Size}").ToList(), progress, cancel, logsSuffice: true);
            return jobs.Select((j, i) => (Summarise(table, j.Size, j.Seed, logs[i], config), logs[i])).ToList();
        }
        finally
        {
            foreach (var s in states) s.Dispose();
        }
    }

    /// <summary>A fresh network (init and split from <paramref name="seed"/>) trained on D examples. With a store, the
    /// run is saved under its key (log and checkpoint), so a long run resumes and a longer one continues it.</summary>
    public static (SemiGrokkingRun Summary, List<StepMetrics> Log) Run(OperationTable table, int trainSize, int seed,
        TrainConfig config,
        ResultsStore? store = null, TransformerConfig? model = null, Device? device = null,
        IProgress<StepMetrics>? progress = null, CancellationToken cancel = default)
    {
        var split = Split.BySize(table, trainSize, seed);
        using var state = TrainingState.Create(model ?? TransformerConfig.For(table), seed, device);
        var log = Trainer.Train(state, split, config, store, $"semigrok-p{table.P}-D{trainSize}", progress, cancel);
        return (Summarise(table, trainSize, seed, log, config), log);
    }

    /// <summary>Every (D, seed) run, read back when saved, else trained or resumed. Summaries are computed from the
    /// logs, so the outcome always follows the current classification.</summary>
    public static List<(SemiGrokkingRun Summary, List<StepMetrics> Log)> Sweep(OperationTable table, int[] sizes,
        int[] seeds,
        TrainConfig config, ResultsStore store, TransformerConfig? model = null, Device? device = null,
        IProgress<StepMetrics>? progress = null, CancellationToken cancel = default) =>
        seeds.SelectMany(seed =>
            sizes.Select(size => Run(table, size, seed, config, store, model, device, progress, cancel))).ToList();
}
