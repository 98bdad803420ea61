using ScienceOfDL.Results;

namespace ScienceOfDL.Grokking;

/// <summary>
/// One training run kept in a results store, written once for single runs (<see cref="Trainer.Train"/>) and ensembles
/// (<see cref="EnsembleRuns"/>): its metrics (<c>STEM.metrics.csv</c>, a row appended as each is measured) and its
/// state (<c>STEM.checkpoint</c>), under the run's key and lock. A run asked for again resumes exactly where its
/// checkpoint left off (the log is cut back to it: the checkpoint is the truth); a run that differs only in length
/// continues the longest shorter one saved.
/// </summary>
public sealed class SavedRun : IDisposable
{
    readonly IDisposable _lock;
    readonly ResultsStore _store;
    public ResultKey Key { get; }
    public string CheckpointPath { get; }
    public string MetricsPath { get; }

    SavedRun(ResultsStore store, ResultKey key)
    {
        (Key, _store) = (key, store);
        _lock = store.Lock(key);
        (CheckpointPath, MetricsPath) = (store.PathOf(key, ".checkpoint"), store.PathOf(key, ".metrics.csv"));
    }

    /// <summary>Takes the run's lock (released on dispose).</summary>
    public static SavedRun Open(ResultsStore store, ResultKey key) => new(store, key);

    /// <summary>Before training: the run's log so far, with <paramref name="state"/> restored to its checkpoint (a run
    /// of steps <paramref name="startStep"/>..<paramref name="endStep"/>), or to the longest saved shorter run's;
    /// empty, with stale metrics removed, when there is neither. Writes the run's settings file.</summary>
    public List<StepMetrics> Resume(TrainingState state, int startStep, int endStep)
    {
        if (!File.Exists(CheckpointPath))
            ContinueShorterRun(_store, Key, CheckpointPath, MetricsPath);
        _store.Describe(Key);
        if (!File.Exists(CheckpointPath))
        {
            if (File.Exists(MetricsPath))
                File.Delete(MetricsPath);
            return [];
        }
        state.Restore(CheckpointPath, out _, out var savedStart);
        if (savedStart != startStep || state.Step > endStep)
            throw new InvalidDataException(
                $"{CheckpointPath} holds steps {savedStart}..{state.Step}, not a part of " + $"{startStep}..{endStep}."
            );
        var log = File.Exists(MetricsPath) ? ReadLog().Where(m => m.Step <= state.Step).ToList() : [];
        CsvFile.Write(MetricsPath, log);
        return log;
    }

    /// <summary>A finished run kept without its checkpoint (to keep committed results small): its whole log when it
    /// runs from <paramref name="startStep"/> to <paramref name="endStep"/>, else null.</summary>
    public List<StepMetrics>? FinishedLogWithoutCheckpoint(int startStep, int endStep) =>
        !File.Exists(CheckpointPath)
        && File.Exists(MetricsPath)
        && ReadLog() is [{ } first, .., { } last] log
        && first.Step == startStep
        && last.Step == endStep
            ? log
            : null;

    public void Append(StepMetrics m) => CsvFile.Append(MetricsPath, m);

    public void Save(TrainingState state, int startStep) => state.Save(CheckpointPath, Key.ToString(), startStep);

    List<StepMetrics> ReadLog() =>
        CsvFile.Read<StepMetrics>(MetricsPath, dropTornLastLine: true).Select(r => r.Row).ToList();

    /// <summary>Starts a run from the longest saved run with the same settings and fewer steps, if there is
    /// one.</summary>
    static void ContinueShorterRun(ResultsStore store, ResultKey key, string checkpoint, string metrics)
    {
        static int Steps(ResultKey k) => int.Parse(k.Variant[..^"steps".Length]);
        var shorter = store
            .Variants(key)
            .Where(k => k.Variant.EndsWith("steps") && Steps(k) < Steps(key) && store.Has(k, ".checkpoint"))
            .MaxBy(Steps);
        if (shorter is null)
            return;
        File.Copy(store.PathOf(shorter, ".checkpoint"), checkpoint);
        if (store.Has(shorter, ".metrics.csv"))
            File.Copy(store.PathOf(shorter, ".metrics.csv"), metrics, overwrite: true);
    }

    public void Dispose() => _lock.Dispose();
}
