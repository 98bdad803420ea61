namespace ScienceOfDL.Grokking;

/// <summary>One row of a training log: losses and accuracies, the parameter norm in total and per tensor, and the mean
/// correct-class logit on the training set (the "logit" of Varma et al.'s efficiency plots), centred: measured from the
/// mean of that example's logits, since adding one constant to all logits changes no prediction and no loss.</summary>
public sealed record StepMetrics(
    int Step,
    double TrainLoss,
    double TrainAccuracy,
    double TestLoss,
    double TestAccuracy,
    double ParameterNorm,
    double CorrectLogit,
    double Norm_W_E,
    double Norm_W_pos,
    double Norm_W_Q,
    double Norm_W_K,
    double Norm_W_V,
    double Norm_W_O,
    double Norm_W_in,
    double Norm_b_in,
    double Norm_W_out,
    double Norm_b_out,
    double Norm_W_U
);
