using ScienceOfDL.Ccs.Probing;
using ScienceOfDL.LanguageModels;

namespace ScienceOfDL.Ccs.Experiments;

/// <summary>One setting of the representation study in one line: the lowest-loss CCS restart's accuracy on the
/// validation split (<see cref="CcsValidation"/>, what a setting is chosen by) and on the test split
/// (<see cref="Ccs"/>, oriented on validation), its CCS loss on each split beside the best constant probe's, the
/// spread of every restart's test accuracy, and PCA (TPC), LR (pair, the supervised ceiling) and the mean of the
/// untrained probes.</summary>
public sealed record RepresentationSummary(
    string Dataset,
    string Subset,
    string Template,
    int Layer,
    TokenPosition Token,
    Scaling Scaling,
    Centring Centring,
    double CcsValidation,
    double Ccs,
    double CcsTrainLoss,
    double CcsValidationLoss,
    double CcsTestLoss,
    double ConstantLoss,
    double CcsMin,
    double CcsMedian,
    double CcsMax,
    double PcaValidation,
    double Pca,
    double LrValidation,
    double Lr,
    double RandomMean,
    int TrainPairs,
    int ValidationPairs,
    int TestPairs
)
{
    /// <summary>"topics · Answer · PerDimension · PerHalf-centred · layer 4".</summary>
    public string Setting => $"{Dataset} · {Token} · {Scaling} · {Centring}-centred · layer {Layer}";
}
