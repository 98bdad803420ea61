using ScienceOfDL.Ccs.Analysis;
using ScienceOfDL.Ccs.Baselines;
using ScienceOfDL.Ccs.Data;
using ScienceOfDL.Ccs.Probing;
using ScienceOfDL.LanguageModels;
using ScienceOfDL.Results;

namespace ScienceOfDL.Ccs.Experiments;

/// <summary>
/// One dataset at one layer, as notebook 03 tabulates it: every method's test accuracy (Burns Table 2's CRC-TPC, BSS
/// and CCS, plus the supervised ceiling and the random floor), how CCS's directions sit relative to the top principal
/// component of the training differences, how the two halves of a pair move along PC1 and along the lowest-loss CCS
/// direction (<see cref="CorrXyPc1"/>, <see cref="CorrXyCcs"/>: Pearson correlation of X = θᵀx̃⁺ and Y = θᵀx̃⁻ over the
/// training pairs, −1 when the halves move in opposite directions), and how often CCS and PCA agree against the
/// independent-errors baseline. A flat record, so a list of them is one CSV in data/results/.
/// </summary>
public sealed record CcsPcaSummary(
    string Dataset,
    int Layer,
    Centring Centring,
    int TrainPairs,
    int TestPairs,
    double Ccs,
    double CcsMeanOverRestarts,
    double Pca,
    double Bss,
    double LrPair,
    double LrDifference,
    double KMeans,
    double RandomMean,
    double CcsTrainLoss,
    double BestAbsCosPc1,
    double MeanAbsCosPc1,
    double MeanShareInTop3,
    double AgreementCcsPca,
    double IndependentCcsPca,
    double UnsignedAgreementCcsPca,
    double CorrXyPc1,
    double CorrXyCcs,
    double Pc1VarianceRatio
)
{
    /// <summary>CRC-TPC's accuracy as a share of CCS's (Burns Table 2: 69.2 / 71.2 = 97%).</summary>
    public double PcaShareOfCcs => Pca / Ccs;

    /// <summary>The key a table of these is saved under: the model, the token read, the split, the scaling and every
    /// CCS option; each (dataset, layer, centring) job carries its pairs' fingerprint.</summary>
    public static ResultKey Key(
        string model,
        TokenPosition position,
        int splitSeed,
        CcsOptions options,
        Scaling scaling = Scaling.PerHalf
    ) =>
        ResultKey.Of(
            "ccs-as-pca-summary",
            new SummarySettings(
                model,
                position,
                splitSeed,
                Metrics.StudySplitName,
                options,
                scaling,
                CcsProbe.CodeVersion
            )
        );

    /// <summary>What a summary is saved under: a named record, so renaming a variable cannot re-key saved
    /// results.</summary>
    public sealed record SummarySettings(
        string Model,
        TokenPosition Position,
        int SplitSeed,
        string Split,
        CcsOptions Ccs,
        Scaling Scaling,
        int CodeVersion
    );

    public static CcsPcaSummary Of(
        Comparison cmp,
        string dataset,
        int layer,
        Centring centring = Centring.PerHalf,
        PcaResult? pca = null
    )
    {
        pca ??= Baselines.Pca.Fit(cmp.Train);
        var labels = cmp.Test.Labels;
        var abs = DirectionSimilarity.AbsCosines(cmp.Ccs, pca);
        var shares = cmp.Ccs.Restarts.Select(r => DirectionSimilarity.ShareInSpan(r.Direction!, pca)).ToArray();
        var agreement = MethodAgreement.Of(cmp, MethodNames.Ccs, MethodNames.Pca);
        double Acc(string m) => cmp[m].Accuracy(labels).Value;
        using var best = TorchSharp.torch.tensor(cmp.Ccs.Restarts[cmp.Ccs.Best].Direction!).to(cmp.Train.Device);
        return new(
            dataset,
            layer,
            centring,
            cmp.Train.Count,
            cmp.Test.Count,
            Acc(MethodNames.Ccs),
            cmp[MethodNames.Ccs].Accuracies(labels).Average(),
            Acc(MethodNames.Pca),
            Acc(MethodNames.Bss),
            Acc(MethodNames.LrPair),
            Acc(MethodNames.LrDifference),
            Acc(MethodNames.KMeans),
            cmp[MethodNames.Random].Accuracies(labels).Average(),
            cmp.Ccs.Restarts[cmp.Ccs.Best].Loss,
            abs[cmp.Ccs.Best][0],
            abs.Average(r => r[0]),
            shares.Average(),
            agreement.Agreement,
            agreement.Independent,
            MethodAgreement.Unsigned(cmp[MethodNames.Ccs].BestScores, cmp[MethodNames.Pca].BestScores),
            VarianceDecomposition.Of(cmp.Train, pca.Components[0]).CorrXY,
            VarianceDecomposition.Of(cmp.Train, best).CorrXY,
            pca.VarianceRatio[0]
        );
    }
}

/// <summary>
/// One reading of Emmons' argument (TPC ≈ CCS because the variance of a projected pair difference is a confidence-like
/// plus a consistency-like part): a dataset at one centring, with CCS's test accuracy (Wilson interval), TPC's and
/// BSS's, TPC's share of CCS, and how the two halves move along PC1 and along the lowest-loss CCS direction
/// (<see cref="CcsPcaSummary.CorrXyPc1"/>, <see cref="CcsPcaSummary.CorrXyCcs"/>: −1 when they move in opposite
/// directions, the contrastive case the argument needs at the top of the variance), how close the CCS restarts come to
/// PC1, and how often CCS and TPC give the same answer against the independent-errors baseline.
/// </summary>
public sealed record EmmonsReading(
    string Reading,
    string Dataset,
    int Layer,
    Centring Centring,
    Statistics.Interval Ccs,
    Statistics.Interval Tpc,
    double Bss,
    double LrPair,
    double TpcShareOfCcs,
    double CorrXyPc1,
    double CorrXyCcs,
    double Pc1VarianceRatio,
    double MeanAbsCosPc1,
    double AgreementCcsPca,
    double IndependentCcsPca,
    int TestPairs
)
{
    public static EmmonsReading Of(string reading, CcsPcaSummary s) =>
        new(
            reading,
            s.Dataset,
            s.Layer,
            s.Centring,
            Statistics.Proportion.Wilson(s.Ccs, s.TestPairs),
            Statistics.Proportion.Wilson(s.Pca, s.TestPairs),
            s.Bss,
            s.LrPair,
            s.PcaShareOfCcs,
            s.CorrXyPc1,
            s.CorrXyCcs,
            s.Pc1VarianceRatio,
            s.MeanAbsCosPc1,
            s.AgreementCcsPca,
            s.IndependentCcsPca,
            s.TestPairs
        );
}

public static class CcsPcaSummaries
{
    /// <summary>One row per dataset × layer: the one with <paramref name="centring"/> where the dataset has it, else
    /// its per-half row (on a dataset whose answers never vary, per-answer-word centring is per-half
    /// centring).</summary>
    public static List<CcsPcaSummary> At(IEnumerable<CcsPcaSummary> rows, Centring centring) =>
        rows.GroupBy(r => (r.Dataset, r.Layer))
            .Select(g => g.FirstOrDefault(r => r.Centring == centring) ?? g.Single(r => r.Centring == Centring.PerHalf))
            .ToList();
}
