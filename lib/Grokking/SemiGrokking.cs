using ScienceOfDL.Results;
using static TorchSharp.torch;

namespace ScienceOfDL.Grokking;

/// <summary>Summary of one from-scratch run at a training-set size near D_crit.</summary>
/// <param name="Outcome">"grokked" (final test accuracy ≥ 0.95); "semi-grokked" (it ended on a middling plateau, well
/// above the test accuracy it had when it had just memorised, and flat over the last fifth of the run); "still rising"
/// (middling but still climbing when the run ended: a plateau cannot be told from slow grokking yet); or
/// "memorised".</param>
public sealed record SemiGrokkingRun(int P, int TrainSize, int Seed, int Steps, double TestAccuracyWhenMemorised,
    double FinalTrainAccuracy, double FinalTestAccuracy, double MaxTestAccuracy, int? StepTestAboveHalfFinal,
        string Outcome);

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

    public static SemiGrokkingRun Summarise(OperationTable table, int trainSize, int seed,
        IReadOnlyList<StepMetrics> log)
    {
        var final = log[^1];
        var rise = log.FirstOrDefault(m => m.TestAccuracy >= final.TestAccuracy / 2
            && m.TestAccuracy > TestAccuracyWhenMemorised(log))?.Step;
        return new SemiGrokkingRun(table.P, trainSize, seed, final.Step, TestAccuracyWhenMemorised(log),
            final.TrainAccuracy,
            final.TestAccuracy, log.Max(m => m.TestAccuracy), rise, Classify(log));
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
        return (Summarise(table, trainSize, seed, log), log);
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
