using ScienceOfDL.Ccs.Probing;
using ScienceOfDL.LanguageModels;

namespace ScienceOfDL.Ccs.Experiments;

/// <summary>
/// One method (one restart or seed of it) in one setting of the representation study: a slice of a dataset (<see
/// cref="Subset"/> × <see cref="Template"/>, "all" when not restricted), read at one <see cref="Layer"/> and
/// <see cref="Token"/>, normalised with one <see cref="Centring"/> and <see cref="Scaling"/>. Every method is fitted on
/// the training split. <see cref="ValidationAccuracy"/> is on the validation split, sign-disambiguated there for the
/// unsupervised methods (CCS, PCA, random); <see cref="TestAccuracy"/> is on the untouched test split with the
/// orientation the validation split chose (so it can fall below 0.5). Supervised LR is read as labelled on both. CCS
/// rows carry their CCS loss on each split, beside <see cref="ConstantLoss"/>, the loss of the best constant probe;
/// other methods have NaN there. <see cref="IsChosen"/> marks the row the method keeps (CCS: the lowest training loss).
/// </summary>
public sealed record RepresentationRow(
    string Dataset,
    string Subset,
    string Template,
    int Layer,
    TokenPosition Token,
    Scaling Scaling,
    Centring Centring,
    string Method,
    int Restart,
    bool IsChosen,
    double ValidationAccuracy,
    double TestAccuracy,
    double TrainLoss,
    double ValidationLoss,
    double TestLoss,
    double ConstantLoss,
    int TrainPairs,
    int ValidationPairs,
    int TestPairs
);
