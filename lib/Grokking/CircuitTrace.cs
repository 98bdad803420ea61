using static TorchSharp.torch;

namespace ScienceOfDL.Grokking;

/// <summary>Training metrics and the Fourier picture of the network at one step. RestrictedLoss and ExcludedLoss are our
/// joint projection (<see cref="CircuitAnalysis"/>), not Nanda et al.'s: <see cref="ProgressMeasures.Trace"/> gives theirs.</summary>
public sealed record CircuitPoint(int Step, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy,
    double ParameterNorm, double TrigShare, double RestrictedLoss, double ExcludedLoss, double GiniEmbedding, double GiniNeuronLogit);

/// <summary>
/// Follows the circuits through a run: trains in chunks, keeps a copy of the weights after each, and once the run is over
/// analyses every copy with the key frequencies of a reference network (by default the final one, as Nanda et al. use the
/// grokked network's frequencies for all of training). Memorising → generalising shows as the trigonometric share rising
/// and the restricted loss falling before the test loss does; ungrokking shows the reverse.
/// </summary>
public static class CircuitTrace
{
    public static List<CircuitPoint> Train(TrainingState state, Split data, TrainConfig config, int every, int[]? keyFrequencies = null,
        IProgress<StepMetrics>? progress = null, CancellationToken cancel = default)
    {
        var snapshots = Snapshots(state, data, config, every, progress, cancel);
        var keys = keyFrequencies ?? Fourier.Analyse(state.Model, data).KeyFrequencies;
        using var probe = new Transformer(state.Model.Config, seed: 0, state.Model.W_E.device);
        return snapshots.Select(s =>
        {
            Load(probe, s.Weights);
            var a = Fourier.Analyse(probe, data, keys);
            var m = s.Metrics;
            return new CircuitPoint(m.Step, m.TrainLoss, m.TrainAccuracy, m.TestLoss, m.TestAccuracy, m.ParameterNorm,
                a.TrigShare, a.RestrictedLoss, a.ExcludedLoss, a.GiniEmbedding, a.GiniNeuronLogit);
        }).ToList();
    }

    /// <summary>Trains in chunks of <paramref name="every"/> steps and keeps the trainer's metrics and a copy of the
    /// weights at the start and after each chunk, for analysis once the run is over.</summary>
    internal static List<(StepMetrics Metrics, float[][] Weights)> Snapshots(TrainingState state, Split data, TrainConfig config,
        int every, IProgress<StepMetrics>? progress, CancellationToken cancel)
    {
        if (config.Steps < 1 || every < 1) throw new ArgumentOutOfRangeException(nameof(every), "Steps and the snapshot interval must be at least 1.");
        var end = state.Step + config.Steps;
        var snapshots = new List<(StepMetrics Metrics, float[][] Weights)>();
        var start = Copy(state.Model);
        while (state.Step < end)
        {
            var log = Trainer.Train(state, data, config with { Steps = Math.Min(every, end - state.Step), EvalEvery = every },
                progress: progress, cancel: cancel);
            if (snapshots.Count == 0) snapshots.Add((log[0], start));   // the first log begins with the starting state
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
