namespace ScienceOfDL.Grokking;

/// <summary>One row of the milestone table: when our run crossed a threshold, beside Nanda et al.'s phase boundary
/// where there is one (p = 113, 30% of the table).</summary>
public sealed record Milestone(string What, int? OurStep, string NandaEtAl);

/// <summary>What happened after grokking (test accuracy ≥ 0.99): measured rows, rows whose train loss rose above
/// 10⁻³ (a loss spike), the highest train loss, the lowest accuracies, and the final test accuracy.</summary>
public sealed record AfterGrokking(
    int Rows,
    int RowsWithTrainLossAbove1e3,
    double MaxTrainLoss,
    double MinTrainAccuracy,
    double MinTestAccuracy,
    double FinalTestAccuracy
);

/// <summary>
/// When a grokking run crossed simple accuracy thresholds (not Nanda et al.'s Fourier progress measures): memorised
/// (train accuracy ≥ 0.99), test accuracy ≥ 0.5, ≥ 0.9, grokked (≥ 0.99), and the step of the largest norm. Nanda
/// et al. put the phase boundaries at ≈1.4k / 9.4k / 14k epochs (memorisation / circuit formation / cleanup).
/// </summary>
public sealed record GrokkingMilestones(int? Memorised, int? TestHalf, int? Generalised, int? Grokked, int PeakNorm)
{
    public const int NandaMemorised = 1400,
        NandaCircuitFormed = 9400,
        NandaCleanedUp = 14000;

    public static GrokkingMilestones Of(IReadOnlyList<StepMetrics> log)
    {
        int? At(Func<StepMetrics, double> value, double threshold) => Trainer.FirstStep(log, value, threshold);
        return new GrokkingMilestones(
            At(m => m.TrainAccuracy, 0.99),
            At(m => m.TestAccuracy, 0.5),
            At(m => m.TestAccuracy, 0.9),
            At(m => m.TestAccuracy, 0.99),
            log.MaxBy(m => m.ParameterNorm)!.Step
        );
    }

    /// <summary>How many times later test accuracy reached 0.9 than train accuracy 0.99 (null if either never
    /// did).</summary>
    public double? Delay => Memorised is int m && Generalised is int g && m > 0 ? (double)g / m : null;

    /// <summary>The milestones as a table, with Nanda et al.'s phase boundaries beside them.</summary>
    public List<Milestone> Table() =>
        [
            new("train accuracy ≥ 0.99 (memorised)", Memorised, "≈1.4k (end of memorisation)"),
            new("test accuracy ≥ 0.5", TestHalf, "9.4k (end of circuit formation)"),
            new("test accuracy ≥ 0.9", Generalised, ""),
            new("test accuracy ≥ 0.99 (grokked)", Grokked, "≈14k (end of cleanup)"),
            new("maximum parameter norm", PeakNorm, ""),
        ];

    /// <summary>The rows measured after the run grokked (none if it never did).</summary>
    public AfterGrokking After(IReadOnlyList<StepMetrics> log)
    {
        var after = Grokked is int g ? log.Where(m => m.Step > g).ToList() : [];
        return new AfterGrokking(
            after.Count,
            after.Count(m => m.TrainLoss > 1e-3),
            after.Count > 0 ? after.Max(m => m.TrainLoss) : double.NaN,
            after.Count > 0 ? after.Min(m => m.TrainAccuracy) : double.NaN,
            after.Count > 0 ? after.Min(m => m.TestAccuracy) : double.NaN,
            log[^1].TestAccuracy
        );
    }
}
