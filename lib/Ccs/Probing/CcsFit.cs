using ScienceOfDL.Ccs.Analysis;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ScienceOfDL.Ccs.Probing;

/// <summary>Progress of a training run (every few epochs).</summary>
public sealed record CcsProgress(int Epoch, int Epochs, double BestLoss, double MeanLoss);

/// <summary>One restart after training: its seed, its final training loss (and the two terms), and for a linear probe
/// its unit-norm direction θ/‖θ‖ and raw bias.</summary>
public sealed record CcsRestart(
    int Index,
    int Seed,
    double Loss,
    double Consistency,
    double Confidence,
    float[]? Direction,
    float? Bias
);

/// <summary>A restart evaluated on some pairs (usually the test split): CCS loss there, sign-disambiguated accuracy,
/// AUROC.</summary>
public sealed record CcsRestartReport(
    int Index,
    int Seed,
    bool IsBest,
    double TrainLoss,
    double Loss,
    double Accuracy,
    bool Flipped,
    double Auroc
);

/// <summary>The result of <see cref="CcsProbe.Train(HiddenPairs, CcsOptions, IProgress{CcsProgress}?)"/>: every
/// restart, and which one has the lowest training loss (the one Burns et al. keep). Losses are measured at the final
/// parameters; Burns' code compares the loss of the last epoch, one AdamW step earlier.</summary>
public sealed record CcsFit(CcsProbe Probes, CcsOptions Options, CcsRestart[] Restarts, int Best)
{
    public CcsProbe BestProbe => Probes.Restart(Best);

    /// <summary>Every restart on <paramref name="pairs"/> (normalised like the training data, with their own
    /// statistics).</summary>
    public CcsRestartReport[] Report(HiddenPairs pairs)
    {
        using var scope = NewDisposeScope();
        var loss = Probes.Loss(pairs, Options.Confidence).cpu().data<float>().ToArray();
        var scores = Probes.Scores(pairs).cpu();
        return Restarts
            .Select(r =>
            {
                var s = scores[r.Index].data<float>().ToArray();
                var acc = Metrics.Accuracy(s, pairs.Labels);
                return new CcsRestartReport(
                    r.Index,
                    r.Seed,
                    r.Index == Best,
                    r.Loss,
                    loss[r.Index],
                    acc.Value,
                    acc.Flipped,
                    Metrics.DisambiguatedAuroc(s, pairs.Labels)
                );
            })
            .ToArray();
    }
}
