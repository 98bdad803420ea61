using static TorchSharp.torch;

namespace ScienceOfDL.Grokking;

/// <summary>
/// Trains many independent runs as batched models (<see cref="EnsembleState"/>, one group per core as
/// <see cref="EnsembleGroups"/>): each run has its own starting state (a fresh seed or a loaded checkpoint), training
/// set, learning rate, weight decay, warm-up and length, and follows the trajectory <see cref="Trainer.Train"/> would
/// give it alone, up to float rounding. Runs that finish early leave the batch, so runs of different lengths (e.g.
/// matched lr·wd·steps) cost no more than their own steps. Stores nothing: the logs are returned and the states
/// trained in place.
/// </summary>
public static class EnsembleTrainer
{
    /// <summary>Trains states[r] on data[r] with configs[r], all runs together. Each log has the rows
    /// <see cref="Trainer.Train"/> would write (the start, every configs[r].EvalEvery steps, the end). The states end
    /// as the sequential runs would leave them; when cancelled, each holds the step it reached (so it can be saved).
    /// </summary>
    /// <param name="groups">Batched groups trained side by side, each on its own thread (see
    /// <see cref="EnsembleGroups"/>); by default one per torch thread.</param>
    public static List<StepMetrics>[] Train(
        IReadOnlyList<TrainingState> states,
        IReadOnlyList<Split> data,
        IReadOnlyList<TrainConfig> configs,
        IProgress<(int Run, StepMetrics Metrics)>? progress = null,
        CancellationToken cancel = default,
        int? groups = null
    )
    {
        var runs = states.Count;
        if (data.Count != runs || configs.Count != runs)
            throw new ArgumentException(
                $"{runs} states need as many splits and configs (got {data.Count} and {configs.Count})."
            );
        if (
            configs.Any(c =>
                (c.Beta1, c.Beta2, c.Eps, c.LossPrecision)
                != (configs[0].Beta1, configs[0].Beta2, configs[0].Eps, configs[0].LossPrecision)
            )
        )
            throw new ArgumentException(
                "All runs of an ensemble must share AdamW's betas and eps, and the loss's " + "precision."
            );
        var device = states[0].Model.W_E.device;
        var start = states.Select(s => s.Step).ToArray();
        var end = states.Select((s, r) => s.Step + configs[r].Steps).ToArray();
        var logs = states.Select(_ => new List<StepMetrics>()).ToArray();
        var eval = data.Select(d =>
                (
                    TrainX: d.Table.Tokens(d.Train, device),
                    TrainY: d.Table.Labels(d.Train, device),
                    TestX: d.Table.Tokens(d.Test, device),
                    TestY: d.Table.Labels(d.Test, device)
                )
            )
            .ToArray();
        StepMetrics Measure(int r, Transformer model, int step)
        {
            var (trainX, trainY, testX, testY) = eval[r];
            return Trainer.Measure(model, step, trainX, trainY, testX, testY);
        }
        void Record(int r, StepMetrics m)
        {
            logs[r].Add(m);
            progress?.Report((r, m));
        }
        try
        {
            for (var r = 0; r < runs; r++)
                Record(r, Measure(r, states[r].Model, states[r].Step));
            var active = Enumerable.Range(0, runs).Where(r => states[r].Step < end[r]).ToList();
            while (active.Count > 0)
            {
                // Train the runs still going until the next one finishes, then rebuild the groups without it.
                var segment = active.Min(r => end[r] - states[r].Step);
                using var together = new EnsembleGroups(
                    active.Select(r => states[r]).ToList(),
                    active.Select(r => data[r]).ToList(),
                    active.Select(r => configs[r]).ToList(),
                    groups
                );
                try
                {
                    for (var k = 0; k < segment; k++)
                    {
                        cancel.ThrowIfCancellationRequested();
                        together.Step();
                        var due = Enumerable
                            .Range(0, active.Count)
                            .Where(i =>
                            {
                                var (r, step) = (active[i], together.StepOf(i));
                                return step == end[r] || (step - start[r]) % configs[r].EvalEvery == 0;
                            })
                            .ToList();
                        var measured = together.Measure(due, (i, model) =>
                            Measure(active[i], model, together.StepOf(i))
                        );
                        for (var k2 = 0; k2 < due.Count; k2++)
                            Record(active[due[k2]], measured[k2]);
                    }
                }
                finally
                {
                    // Written back at the end of the segment, and also when cancelled or on an error.
                    for (var i = 0; i < active.Count; i++)
                        together.CopyTo(i, states[active[i]]);
                }
                active = active.Where(r => states[r].Step < end[r]).ToList();
            }
        }
        finally
        {
            foreach (var e in eval)
            {
                e.TrainX.Dispose();
                e.TrainY.Dispose();
                e.TestX.Dispose();
                e.TestY.Dispose();
            }
        }
        return logs;
    }

    /// <summary>One full-batch AdamW update of every run of the ensemble on its own training set.</summary>
    public static void Step(EnsembleState state, EnsembleBatch batch, IReadOnlyList<TrainConfig> configs)
    {
        using var scope = NewDisposeScope();
        var loss = batch.Loss(state.Model.Forward(batch.Operands), configs[0].LossPrecision);
        var grads = autograd.grad([loss], state.Model.Parameters.Select(p => p.Value).ToArray());
        state.AdamWStep(cat(grads.Select(g => g.reshape(state.Runs, -1)).ToArray(), 1), configs);
    }
}
