using ScienceOfDL.Ccs.Probing;
using ScienceOfDL.LanguageModels;
using ScienceOfDL.Results;
using ScienceOfDL.Ccs.Analysis;
using ScienceOfDL.Ccs.Baselines;
using ScienceOfDL.Ccs.Data;

namespace ScienceOfDL.Ccs.Experiments;

/// <summary>
/// One dataset at one layer, as notebook 03 tabulates it: every method's test accuracy (Burns Table 2's CRC-TPC, BSS
/// and CCS, plus the supervised ceiling and the random floor), how CCS's directions sit relative to the top principal
/// component of the training differences, and how often CCS and PCA agree against the independent-errors baseline. A
/// flat record, so a list of them is one CSV in data/results/.
/// </summary>
public sealed record CcsPcaSummary(
    string Dataset, int Layer, int TrainPairs, int TestPairs,
    double Ccs, double CcsMeanOverRestarts, double Pca, double Bss, double LrPair, double LrDifference, double KMeans,
        double RandomMean,
    double CcsTrainLoss, double BestAbsCosPc1, double MeanAbsCosPc1, double MeanShareInTop3,
    double AgreementCcsPca, double IndependentCcsPca, double UnsignedAgreementCcsPca)
{
    /// <summary>CRC-TPC's accuracy as a share of CCS's (Burns Table 2: 69.2 / 71.2 = 97%).</summary>
    public double PcaShareOfCcs => Pca / Ccs;

    /// <summary>The key a table of these is saved under: the model, the token read, the split, the scaling and every
    /// CCS option; each (dataset, layer) job carries its pairs' fingerprint.</summary>
    public static ResultKey Key(string model, TokenPosition position, int splitSeed, CcsOptions options,
        Scaling scaling = Scaling.PerHalf) =>
        ResultKey.Of("ccs-as-pca-summary", new { Model = model, Position = position, SplitSeed = splitSeed,
            Ccs = options, Scaling = scaling, CcsProbe.CodeVersion });

    public static CcsPcaSummary Of(Comparison cmp, string dataset, int layer, PcaResult? pca = null)
    {
        pca ??= Baselines.Pca.Fit(cmp.Train);
        var labels = cmp.Test.Labels;
        var abs = DirectionSimilarity.AbsCosines(cmp.Ccs, pca);
        var shares = cmp.Ccs.Restarts.Select(r => DirectionSimilarity.ShareInSpan(r.Direction!, pca)).ToArray();
        var agreement = MethodAgreement.Of(cmp, MethodNames.Ccs, MethodNames.Pca);
        double Acc(string m) => cmp[m].Accuracy(labels).Value;
        return new(dataset, layer, cmp.Train.Count, cmp.Test.Count,
            Acc(MethodNames.Ccs), cmp[MethodNames.Ccs].Accuracies(labels).Average(), Acc(MethodNames.Pca),
                Acc(MethodNames.Bss),
            Acc(MethodNames.LrPair), Acc(MethodNames.LrDifference), Acc(MethodNames.KMeans),
                cmp[MethodNames.Random].Accuracies(labels).Average(),
            cmp.Ccs.Restarts[cmp.Ccs.Best].Loss, abs[cmp.Ccs.Best][0], abs.Average(r => r[0]), shares.Average(),
            agreement.Agreement, agreement.Independent,
            MethodAgreement.Unsigned(cmp[MethodNames.Ccs].BestScores, cmp[MethodNames.Pca].BestScores));
    }
}
