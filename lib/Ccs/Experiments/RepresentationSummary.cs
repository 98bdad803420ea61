using ScienceOfDL.Ccs.Probing;
using ScienceOfDL.LanguageModels;

namespace ScienceOfDL.Ccs.Experiments;

/// <summary>One setting of the representation study in one line: the lowest-loss CCS restart's test accuracy
/// (<see cref="Ccs"/>), its training and test CCS loss beside the best constant probe's, the spread over every restart,
/// and PCA (TPC), LR (pair, the supervised ceiling) and the mean of the untrained probes.</summary>
public sealed record RepresentationSummary(
    string Dataset, string Subset, string Template, int Layer, TokenPosition Token, Scaling Scaling,
    double Ccs, double CcsTrainLoss, double CcsTestLoss, double ConstantLoss,
    double CcsMin, double CcsMedian, double CcsMax, double Pca, double Lr, double RandomMean,
    int TrainPairs, int TestPairs);
