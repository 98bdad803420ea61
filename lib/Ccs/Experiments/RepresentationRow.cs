using ScienceOfDL.Ccs.Probing;
using ScienceOfDL.LanguageModels;

namespace ScienceOfDL.Ccs.Experiments;

/// <summary>
/// One method (one restart or seed of it) in one setting of the representation study: a slice of a dataset (<see
/// cref="Subset"/> × <see cref="Template"/>, "all" when not restricted), read at one <see cref="Layer"/> and
/// <see cref="Token"/>, normalised with one <see cref="Scaling"/>. <see cref="Accuracy"/> is on the test split:
/// sign-disambiguated for the unsupervised methods (CCS, PCA, random), as labelled for supervised LR. CCS rows carry
/// their training and test CCS loss, beside <see cref="ConstantLoss"/>, the loss of the best constant probe; other
/// methods have NaN there. <see cref="IsChosen"/> marks the row the method keeps (CCS: the lowest training loss).
/// </summary>
public sealed record RepresentationRow(
    string Dataset, string Subset, string Template, int Layer, TokenPosition Token, Scaling Scaling,
    string Method, int Restart, bool IsChosen, double Accuracy, double TrainLoss, double TestLoss, double ConstantLoss,
    int TrainPairs, int TestPairs);
