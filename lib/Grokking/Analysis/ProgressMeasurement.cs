namespace ScienceOfDL.Grokking;

/// <summary>
/// Nanda et al.'s (2023, §5.1) progress measures of one network for fixed key frequencies, beside our joint projection.
/// </summary>
/// <param name="RestrictedLoss">Nanda's restricted loss: every output logit c keeps only its projection onto
/// cos/sin(w_k(a+b)) of the key frequencies (plus, per c, its mean over inputs), scored on all p² inputs.</param>
/// <param name="RestrictedTrainLoss">The same restricted logits scored on the training set only.</param>
/// <param name="ExcludedLoss">Nanda's excluded loss: each output logit minus its projection onto cos/sin(w_k(a+b)) of
/// the key frequencies, scored on the training set.</param>
/// <param name="JointRestrictedLoss">Our joint projection (<see cref="Fourier.JointRestrictedAndExcluded"/>): the
/// logits' part along cos/sin(w_k(a+b−c)) plus each input's mean, on the training set. Keeps less than Nanda's.</param>
/// <param name="JointExcludedLoss">The logits minus that joint part, on the training set.</param>
/// <param name="ParameterNorm">The network's parameter norm (NaN when measured from logits alone).</param>
public sealed record ProgressMeasurement(
    int Step,
    double TrainLoss,
    double TestLoss,
    double RestrictedLoss,
    double RestrictedTrainLoss,
    double ExcludedLoss,
    double JointRestrictedLoss,
    double JointExcludedLoss,
    double ParameterNorm
)
{
    /// <summary>Test loss ÷ restricted loss (Nanda's Fig. 7c): rises while the circuit forms, back near 1 after
    /// clean-up.</summary>
    public double TestOverRestricted => TestLoss / RestrictedLoss;

    /// <summary>Excluded loss ÷ train loss: near 1 while the network only memorises, ≫ 1 once the key frequencies
    /// carry the fit.</summary>
    public double ExcludedOverTrain => ExcludedLoss / TrainLoss;
}
