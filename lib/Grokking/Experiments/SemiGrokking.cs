using ScienceOfDL.Results;
using static TorchSharp.torch;

namespace ScienceOfDL.Grokking;

/// <summary>How a run near D_crit ended. <c>SemiGrokked</c>: its test accuracy stayed within [0.2, 0.8] for at least
/// 5 weight-decay time scales 1/(lr·wd) (the definition, whatever came after); otherwise by its final test accuracy:
/// <c>Grokked</c> above 0.8, <c>Memorised</c> below 0.2, <c>StillMoving</c> in between (it has not held there for 5
/// time scales).</summary>
public enum SemiGrokkingOutcome
{
    Grokked,
    SemiGrokked,
    StillMoving,
    Memorised,
}

/// <summary>Summary of one from-scratch run at a training-set size near D_crit.</summary>
/// <param name="TimeScales">The run's length in weight-decay time scales 1/(lr·wd), the clock of the norm's
/// relaxation and so of the competition between the circuits.</param>
/// <param name="IntermediateTimeScales">The longest stretch, in time scales, over which test accuracy stayed within
/// [0.2, 0.8].</param>
public sealed record SemiGrokkingRun(
    int P,
    int TrainSize,
    double WeightDecay,
    int Seed,
    int Steps,
    double TimeScales,
    double TestAccuracyWhenMemorised,
    double FinalTrainAccuracy,
    double FinalTestAccuracy,
    double MaxTestAccuracy,
    double IntermediateTimeScales,
    SemiGrokkingOutcome Outcome
);

/// <summary>
/// Semi-grokking (Varma et al. 2023, §5.3 and App. A.1): near D_crit the two circuits are about equally efficient, so
/// the theory expects neither to win outright. Trained from scratch there, a network memorises, then after a long delay
/// its test accuracy rises to a middling level (the paper: ≈0.55–0.7 for p = 113, D in [1500, 2050], after 10⁶–10⁷
/// epochs).
/// </summary>
public static class SemiGrokking
{
    /// <summary>The definition: test accuracy within [<see cref="Low"/>, <see cref="High"/>] for at least
    /// <see cref="MinTimeScales"/> time scales.</summary>
    public const double Low = 0.2,
        High = 0.8,
        MinTimeScales = 5;

    /// <summary>The outcome of a run (<see cref="SemiGrokkingOutcome"/>) trained with <paramref name="config"/>.
    /// </summary>
    public static SemiGrokkingOutcome Classify(IReadOnlyList<StepMetrics> log, TrainConfig config)
    {
        if (LongestIntermediate(log) * config.LearningRate * config.WeightDecay >= MinTimeScales - 1e-9)
            return SemiGrokkingOutcome.SemiGrokked;
        var final = log[^1].TestAccuracy;
        return final > High ? SemiGrokkingOutcome.Grokked
            : final < Low ? SemiGrokkingOutcome.Memorised
            : SemiGrokkingOutcome.StillMoving;
    }

    public static SemiGrokkingRun Summarise(
        OperationTable table,
        int trainSize,
        int seed,
        IReadOnlyList<StepMetrics> log,
        TrainConfig config
    )
    {
        var final = log[^1];
        var perStep = config.LearningRate * config.WeightDecay;
        var memorised = (log.FirstOrDefault(m => m.TrainAccuracy >= 0.99) ?? log[^1]).TestAccuracy;
        return new SemiGrokkingRun(
            table.P,
            trainSize,
            config.WeightDecay,
            seed,
            final.Step,
            (final.Step - log[0].Step) * perStep,
            memorised,
            final.TrainAccuracy,
            final.TestAccuracy,
            log.Max(m => m.TestAccuracy),
            LongestIntermediate(log) * perStep,
            Classify(log, config)
        );
    }

    /// <summary>Steps of the longest stretch of logged rows whose test accuracy lies in [0.2, 0.8].</summary>
    public static int LongestIntermediate(IReadOnlyList<StepMetrics> log, double low = 0.2, double high = 0.8)
    {
        var (best, from) = (0, (int?)null);
        foreach (var m in log)
        {
            if (m.TestAccuracy < low || m.TestAccuracy > high)
            {
                from = null;
                continue;
            }
            from ??= m.Step;
            best = Math.Max(best, m.Step - from.Value);
        }
        return best;
    }

    /// <summary>Every (D, seed) run from scratch as one ensemble (<see cref="EnsembleRuns"/>), each saved under the
    /// key a single run of this kind would have, so runs resume and are read back one by one. The search for
    /// semi-grokking near D_crit.</summary>
    public static List<(SemiGrokkingRun Summary, List<StepMetrics> Log)> Ensemble(
        OperationTable table,
        int[] sizes,
        int[] seeds,
        TrainConfig config,
        ResultsStore store,
        TransformerConfig? model = null,
        Device? device = null,
        IProgress<(int Run, StepMetrics Metrics)>? progress = null,
        CancellationToken cancel = default
    )
    {
        config.Validate();
        if (config.Steps < 1 || !(config.WeightDecay > 0))
            throw new ArgumentOutOfRangeException(
                nameof(config),
                "A semi-grokking run needs at least one step and a positive weight decay (its clock is 1/(lr·wd)), "
                    + $"not {config.Steps} steps at {config.WeightDecay}."
            );
        if (sizes.Length == 0 || seeds.Length == 0)
            throw new ArgumentException("The search needs at least one D and one seed.");
        foreach (var d in sizes.Where(d => d < 1 || d >= table.Count))
            throw new ArgumentOutOfRangeException(nameof(sizes), $"D must lie in [1, {table.Count - 1}], not {d}.");
        var jobs = seeds.SelectMany(seed => sizes.Select(size => (Size: size, Seed: seed))).ToList();
        var splits = jobs.Select(j => Split.BySize(table, j.Size, j.Seed)).ToList();
        var states = jobs.Select(j => TrainingState.Create(model ?? TransformerConfig.For(table), j.Seed, device))
            .ToList();
        try
        {
            var logs = EnsembleRuns.Train(
                states,
                splits,
                jobs.Select(_ => config).ToList(),
                store,
                jobs.Select(j => $"semigrok-p{table.P}-D{j.Size}").ToList(),
                progress,
                cancel,
                logsSuffice: true
            );
            return jobs.Select((j, i) => (Summarise(table, j.Size, j.Seed, logs[i], config), logs[i])).ToList();
        }
        finally
        {
            foreach (var s in states)
                s.Dispose();
        }
    }

    /// <summary>The time of a run's <paramref name="i"/>-th log row, in weight-decay time scales since its start
    /// (the run's length in time scales, spread over its logged steps).</summary>
    public static double TimeScalesAt((SemiGrokkingRun Summary, List<StepMetrics> Log) run, int i) =>
        (run.Log[i].Step - run.Log[0].Step) * run.Summary.TimeScales / Math.Max(1, run.Log[^1].Step - run.Log[0].Step);
}
