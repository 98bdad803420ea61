namespace ScienceOfDL.Grokking;

/// <summary>The two kinds of network Varma et al. (2023) §5.1 compare: memorising networks (fresh, trained on random
/// labels, so only a lookup table can fit them) and generalising ones (grokked networks continued on true
/// labels).</summary>
public enum CircuitKind
{
    Memorising,
    Generalising,
}

/// <summary>One network of the efficiency study where its run ended. <c>Seed</c>: for a memorising network the seed of
/// its random labels, training subset and initialisation; for a generalising one the grokked network it continued
/// (whose init seed it is) and the seed of its training subset. <c>TimeScales</c>: how long it trained, in weight-decay
/// time scales 1/(lr·wd); <c>Settled</c> and <c>NormSwing</c>: whether its norm moved by at most 2% over its last 5
/// (<see cref="Settling"/>) and by how much. <c>CorrectLogit</c>: the mean correct-class logit on its training set,
/// centred (the paper's "logit"). <c>TrigShare</c>: the share of the logits' norm on the full table that is
/// trigonometric (<see cref="Fourier.Analyse"/>).</summary>
public sealed record EfficiencyRun(
    CircuitKind Kind,
    int TrainSize,
    double WeightDecay,
    int Seed,
    double TimeScales,
    bool Settled,
    double NormSwing,
    double ParameterNorm,
    double CorrectLogit,
    double TrainLoss,
    double TrainAccuracy,
    double TestAccuracy,
    double TrigShare
)
{
    /// <summary>The paper's tests that a network is of its kind: a memorising one has memorised (train accuracy ≥
    /// 0.99), a generalising one is trigonometric (≥ 95% of its logits' norm).</summary>
    public bool Usable =>
        Kind == CircuitKind.Memorising ? TrainAccuracy >= MinTrainAccuracy : TrigShare >= MinTrigShare;

    public const double MinTrainAccuracy = 0.99,
        MinTrigShare = 0.95;
}
