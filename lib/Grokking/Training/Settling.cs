namespace ScienceOfDL.Grokking;

/// <summary>
/// When a run has settled: its parameter norm moved by at most <see cref="MaxSwing"/> (a share of its last value) over
/// its last <see cref="WindowTimeScales"/> weight-decay time scales 1/(lr·wd), the clock on which weight decay pulls
/// the norm to where it balances the loss. A run trains at least <see cref="MinTimeScales"/>, then one time scale at a
/// time until it settles or reaches <see cref="MaxTimeScales"/>. The swing is max − min over the window, so a norm
/// that cycles does not pass by being measured at two similar moments.
/// </summary>
public sealed record Settling(
    double MinTimeScales = 10,
    double MaxTimeScales = 40,
    double WindowTimeScales = 5,
    double MaxSwing = 0.02
)
{
    /// <summary>Refuses a rule that could never be met or never end.</summary>
    public Settling Validate()
    {
        if (!(MinTimeScales > 0) || !(MaxTimeScales >= MinTimeScales) || !double.IsFinite(MaxTimeScales))
            throw new ArgumentOutOfRangeException(
                nameof(MinTimeScales),
                "Settling needs 0 < MinTimeScales ≤ " + $"MaxTimeScales < ∞, not {MinTimeScales} and {MaxTimeScales}."
            );
        if (!(WindowTimeScales > 0) || WindowTimeScales > MinTimeScales)
            throw new ArgumentOutOfRangeException(
                nameof(WindowTimeScales),
                "The window must be positive and fit in " + $"MinTimeScales ({MinTimeScales}), not {WindowTimeScales}."
            );
        if (!(MaxSwing > 0))
            throw new ArgumentOutOfRangeException(nameof(MaxSwing), $"Must be positive: {MaxSwing}.");
        return this;
    }

    /// <summary>Refuses weight decays a run settled on this clock cannot use: each must be positive and finite,
    /// since a time scale is 1/(lr·wd).</summary>
    public static void RequireWeightDecays(double[] weightDecays, string name = "weightDecays")
    {
        foreach (var wd in weightDecays.Where(wd => !(wd > 0 && double.IsFinite(wd))))
            throw new ArgumentOutOfRangeException(
                name,
                $"Weight decays must be positive (a run's clock is 1/(lr·wd)), not {wd}."
            );
    }

    /// <summary>Steps in one time scale 1/(lr·wd) (at least 1).</summary>
    public static int StepsPerTimeScale(double learningRate, double weightDecay) =>
        Math.Max(1, (int)Math.Round(1 / (learningRate * weightDecay)));

    /// <summary>(max − min) / last of the norm over the measurements in the last <see cref="WindowTimeScales"/> of
    /// <paramref name="log"/>; <paramref name="scale"/> is the run's steps per time scale.</summary>
    public double Swing(IReadOnlyList<StepMetrics> log, int scale)
    {
        var from = log[^1].Step - WindowTimeScales * scale;
        var window = log.Where(m => m.Step >= from - 1e-9).Select(m => m.ParameterNorm).ToList();
        return (window.Max() - window.Min()) / log[^1].ParameterNorm;
    }

    /// <summary>Has a run whose log this is settled (and trained its window at least)?</summary>
    public bool Holds(IReadOnlyList<StepMetrics> log, int scale) =>
        log[^1].Step - log[0].Step >= WindowTimeScales * scale && Swing(log, scale) <= MaxSwing;

    /// <summary>Trains states[r] on data[r] with configs[r] (whose Steps and EvalEvery are replaced) as one ensemble
    /// (<see cref="EnsembleTrainer"/>): first <see cref="MinTimeScales"/>, then the runs that have not settled one time
    /// scale more at a time, together, until each has or reaches <see cref="MaxTimeScales"/>. Measured every half time
    /// scale. Returns each run's whole log; the states end where their runs stopped.</summary>
    public List<StepMetrics>[] Train(
        IReadOnlyList<TrainingState> states,
        IReadOnlyList<Split> data,
        IReadOnlyList<TrainConfig> configs,
        CancellationToken cancel = default
    )
    {
        Validate();
        var scale = configs.Select(c => StepsPerTimeScale(c.LearningRate, c.WeightDecay)).ToArray();
        int Steps(int r, double timeScales) => (int)Math.Round(timeScales * scale[r]);
        var every = configs.Select((c, r) => c with { EvalEvery = Math.Max(1, scale[r] / 2) }).ToList();
        var logs = EnsembleTrainer.Train(
            states,
            data,
            every.Select((c, r) => c with { Steps = Steps(r, MinTimeScales) }).ToList(),
            cancel: cancel
        );
        int Trained(int r) => logs[r][^1].Step - logs[r][0].Step;
        while (
            Enumerable
                .Range(0, states.Count)
                .Where(r => Trained(r) < Steps(r, MaxTimeScales) && !Holds(logs[r], scale[r]))
                .ToList()
                is { Count: > 0 } going
        )
        {
            var more = EnsembleTrainer.Train(
                going.Select(r => states[r]).ToList(),
                going.Select(r => data[r]).ToList(),
                going
                    .Select(r => every[r] with { Steps = Math.Min(scale[r], Steps(r, MaxTimeScales) - Trained(r)) })
                    .ToList(),
                cancel: cancel
            );
            for (var k = 0; k < going.Count; k++)
                logs[going[k]].AddRange(more[k].Skip(1)); // row 0: where it was
        }
        return logs;
    }
}
