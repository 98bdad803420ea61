using ScienceOfDL.Results;

namespace ScienceOfDL.Grokking;

/// <summary>
/// <see cref="EnsembleTrainer"/> with a results store: each run is saved exactly as <see cref="Trainer.Train"/> saves
/// it alone (same key, metrics file and checkpoint), so a sweep trained as an ensemble resumes run by run, a finished
/// run is only read back, and a notebook asking for one run alone finds it. The runs train together in chunks of
/// <see cref="TrainConfig.CheckpointEvery"/> steps; after each chunk every run's new rows and checkpoint are written.
/// </summary>
public static class EnsembleRuns
{
    /// <summary>Steps between checkpoints: <see cref="TrainConfig.CheckpointEvery"/> rounded to the measurement grid
    /// (the largest multiple of <see cref="TrainConfig.EvalEvery"/> not above it, or one EvalEvery when that is
    /// longer). Each chunk measures every EvalEvery steps from its own start, so a chunk that began off the grid would
    /// miss the run's due measurements.</summary>
    static int Cadence(TrainConfig c) => c.EvalEvery * Math.Max(1, c.CheckpointEvery / c.EvalEvery);

    /// <summary>Trains (or resumes, or reads back) states[r] on data[r] with configs[r], saved under kinds[r]; returns
    /// each run's whole log. The states end trained (a finished run's state is loaded from its checkpoint).</summary>
    /// <param name="logsSuffice">The caller needs only the logs: a finished run whose checkpoint was deleted is read
    /// back from its metrics alone (its state is left as it was).</param>
    public static List<StepMetrics>[] Train(
        IReadOnlyList<TrainingState> states,
        IReadOnlyList<Split> data,
        IReadOnlyList<TrainConfig> configs,
        ResultsStore store,
        IReadOnlyList<string> kinds,
        IProgress<(int Run, StepMetrics Metrics)>? progress = null,
        CancellationToken cancel = default,
        int? groups = null,
        bool logsSuffice = false
    )
    {
        var runs = states.Count;
        foreach (var c in configs)
            c.Validate();
        var keys = Enumerable
            .Range(0, runs)
            .Select(r => Trainer.RunKey(kinds[r], states[r], data[r], configs[r]))
            .ToArray();
        var start = states.Select(s => s.Step).ToArray();
        var end = states.Select((s, r) => s.Step + configs[r].Steps).ToArray();
        var logs = new List<StepMetrics>[runs];
        var saved = new List<SavedRun>();
        try
        {
            for (var r = 0; r < runs; r++)
            {
                saved.Add(SavedRun.Open(store, keys[r]));
                if (logsSuffice && saved[r].FinishedLogWithoutCheckpoint(start[r], end[r]) is { } finished)
                {
                    // A finished run kept without its checkpoint: its log is all a caller that only reads logs
                    // needs; the state stays where it started.
                    logs[r] = finished;
                    foreach (var m in logs[r])
                        progress?.Report((r, m));
                    continue;
                }
                logs[r] = saved[r].Resume(states[r], start[r], end[r]);
                foreach (var m in logs[r])
                    progress?.Report((r, m));
            }

            void Keep(int r, StepMetrics m)
            {
                // The rows Trainer.Train writes: the start, every EvalEvery steps from it, and the end; once each.
                var due = m.Step == end[r] || (m.Step - start[r]) % configs[r].EvalEvery == 0;
                if (!due || (logs[r].Count > 0 && logs[r][^1].Step >= m.Step))
                    return;
                logs[r].Add(m);
                saved[r].Append(m);
                progress?.Report((r, m));
            }
            var active = Enumerable
                .Range(0, runs)
                .Where(r =>
                    (states[r].Step < end[r] || logs[r].Count == 0)
                    && !(logs[r].Count > 0 && logs[r][^1].Step == end[r])
                )
                .ToList();
            while (active.Count > 0)
            {
                // Each run up to its next checkpoint (or its end): then all are saved, so a stop loses one chunk.
                var chunk = active
                    .Select(r =>
                        configs[r] with
                        {
                            Steps = Math.Min(
                                end[r] - states[r].Step,
                                Cadence(configs[r]) - (states[r].Step - start[r]) % Cadence(configs[r])
                            ),
                        }
                    )
                    .ToList();
                var chunkLogs = EnsembleTrainer.Train(
                    active.Select(r => states[r]).ToList(),
                    active.Select(r => data[r]).ToList(),
                    chunk,
                    null,
                    cancel,
                    groups
                );
                for (var i = 0; i < active.Count; i++)
                {
                    var r = active[i];
                    foreach (var m in chunkLogs[i])
                        Keep(r, m);
                    saved[r].Save(states[r], start[r]);
                }
                active = active.Where(r => states[r].Step < end[r]).ToList();
            }
            for (var r = 0; r < runs; r++)
            {
                if (!File.Exists(saved[r].CheckpointPath))
                    continue; // read back from its log only
                states[r].Origin = $"run {keys[r].Stem}";
                states[r].Checkpoint = saved[r].CheckpointPath;
            }
            return logs;
        }
        finally
        {
            foreach (var s in saved)
                s.Dispose();
        }
    }
}
