using ScienceOfDL.Ccs.Analysis;
using ScienceOfDL.Results;
using static TorchSharp.torch;

namespace ScienceOfDL.Grokking;

/// <summary>Training metrics and the Fourier picture of the network at one step. RestrictedLoss and ExcludedLoss are
/// our joint projection (<see cref="CircuitAnalysis"/>), not Nanda et al.'s: <see cref="ProgressMeasures.Trace"/> gives
/// theirs.</summary>
public sealed record CircuitPoint(
    int Step,
    double TrainLoss,
    double TrainAccuracy,
    double TestLoss,
    double TestAccuracy,
    double ParameterNorm,
    double TrigShare,
    double RestrictedLoss,
    double ExcludedLoss,
    double GiniEmbedding,
    double GiniNeuronLogit,
    double NandaRestrictedLoss = double.NaN,
    double NandaExcludedLoss = double.NaN
);

/// <summary>
/// Follows the circuits through a run: trains in chunks, keeps a copy of the weights after each, and once the run is
/// over analyses every copy with the key frequencies of a reference network (by default the final one, as Nanda et al.
/// use the grokked network's frequencies for all of training). Memorising → generalising shows as the trigonometric
/// share rising and the restricted loss falling before the test loss does; ungrokking shows the reverse.
/// </summary>
public static class CircuitTrace
{
    public static List<CircuitPoint> Train(
        TrainingState state,
        Split data,
        TrainConfig config,
        int every,
        int[]? keyFrequencies = null,
        IProgress<StepMetrics>? progress = null,
        CancellationToken cancel = default
    )
    {
        var snapshots = Snapshots(state, data, config, every, progress, cancel);
        var keys = keyFrequencies ?? Fourier.Analyse(state.Model, data).KeyFrequencies;
        // Nanda's measures take their key frequencies from the neurons (ProgressMeasures), ours from the logits.
        var nandaKeys = keyFrequencies ?? ProgressMeasures.KeyFrequencies(state.Model, data.Table);
        using var probe = new Transformer(state.Model.Config, seed: 0, state.Model.W_E.device);
        return snapshots
            .Select(s =>
            {
                Load(probe, s.Weights);
                var a = Fourier.Analyse(probe, data, keys);
                var n = ProgressMeasures.Measure(probe, data, nandaKeys, s.Metrics.Step);
                var m = s.Metrics;
                return new CircuitPoint(
                    m.Step,
                    m.TrainLoss,
                    m.TrainAccuracy,
                    m.TestLoss,
                    m.TestAccuracy,
                    m.ParameterNorm,
                    a.TrigShare,
                    a.RestrictedLoss,
                    a.ExcludedLoss,
                    a.GiniEmbedding,
                    a.GiniNeuronLogit,
                    n.RestrictedLoss,
                    n.ExcludedLoss
                );
            })
            .ToList();
    }

    /// <summary>
    /// <see cref="Train"/> saved under the key of everything that produced it (the run's key, the snapshot interval,
    /// the key frequencies): the trace as <c>STEM.csv</c> and the final state as <c>STEM.checkpoint</c>. Asking again
    /// loads both, leaving <paramref name="state"/> where the traced run ended (<see cref="TrainingState.Checkpoint"/>
    /// names it).
    /// </summary>
    public static List<CircuitPoint> Saved(
        ResultsStore store,
        string kind,
        TrainingState state,
        Split data,
        TrainConfig config,
        int every,
        int[]? keyFrequencies = null,
        IProgress<StepMetrics>? progress = null,
        CancellationToken cancel = default
    )
    {
        var key = Key(kind, state, data, config, every, keyFrequencies);
        var checkpoint = store.PathOf(key, ".checkpoint");
        var trace = store.Table(key, () =>
        {
            var points = Train(state, data, config, every, keyFrequencies, progress, cancel);
            state.Save(checkpoint, key.ToString(), state.Step - config.Steps);
            return points;
        });
        if (state.Checkpoint != checkpoint)
        {
            if (!File.Exists(checkpoint))
                throw new InvalidDataException(
                    $"{checkpoint} is missing beside its trace; delete "
                        + $"{store.PathOf(key,
                                                                             ".csv")} to recompute both."
                );
            state.Restore(checkpoint, out _, out _);
        }
        state.Origin = $"trace {key.Stem}";
        state.Checkpoint = checkpoint;
        return trace;
    }

    /// <summary>The key a trace is saved under: its run's key (model, origin, data, every training setting, length),
    /// the snapshot interval and the key frequencies it analyses with.</summary>
    public static ResultKey Key(
        string kind,
        TrainingState state,
        Split data,
        TrainConfig config,
        int every,
        int[]? keyFrequencies
    )
    {
        var run = Trainer.RunKey(kind, state, data, config);
        return ResultKey.Of(kind, new TraceSettings(run.Settings, every, keyFrequencies, "joint+nanda"), run.Variant);
    }

    /// <summary>What a trace is keyed by: its run's settings (as JSON), the snapshot interval, the key frequencies and
    /// the measures taken. A named record, so renaming a variable cannot re-key saved traces.</summary>
    public sealed record TraceSettings(string Run, int Every, int[]? Keys, string Measures);

    /// <summary>Trains in chunks of <paramref name="every"/> steps and keeps the trainer's metrics and a copy of the
    /// weights at the start and after each chunk, for analysis once the run is over.</summary>
    internal static List<(StepMetrics Metrics, float[][] Weights)> Snapshots(
        TrainingState state,
        Split data,
        TrainConfig config,
        int every,
        IProgress<StepMetrics>? progress,
        CancellationToken cancel
    )
    {
        if (config.Steps < 1 || every < 1)
            throw new ArgumentOutOfRangeException(nameof(every), "Steps and the snapshot interval must be at least 1.");
        var end = state.Step + config.Steps;
        var snapshots = new List<(StepMetrics Metrics, float[][] Weights)>();
        var start = Copy(state.Model);
        while (state.Step < end)
        {
            var log = Trainer.Train(
                state,
                data,
                config with
                {
                    Steps = Math.Min(every, end - state.Step),
                    EvalEvery = every,
                },
                progress: progress,
                cancel: cancel
            );
            if (snapshots.Count == 0)
                snapshots.Add((log[0], start)); // the first log begins with the starting state
            snapshots.Add((log[^1], Copy(state.Model)));
        }
        return snapshots;
    }

    static float[][] Copy(Transformer model) =>
        model.Parameters.Select(p => p.Value.detach().cpu().data<float>().ToArray()).ToArray();

    internal static void Load(Transformer model, float[][] weights)
    {
        using var _ = no_grad();
        for (var i = 0; i < weights.Length; i++)
        {
            var target = model.Parameters[i].Value;
            using var source = tensor(weights[i], target.shape, device: target.device);
            target.copy_(source);
        }
    }
}
