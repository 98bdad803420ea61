using ScienceOfDL.Ccs.Analysis;
using ScienceOfDL.Ccs.Baselines;
using ScienceOfDL.Statistics;

namespace ScienceOfDL.Ccs.Experiments;

/// <summary>One CCS restart beside the variance parts along its direction: its consistency and confidence losses,
/// the confidence-like and consistency-like parts of Var(θᵀ(x̃⁺ − x̃⁻)), the halves' correlation and the share of
/// PC1's variance the direction captures.</summary>
public sealed record RestartVariance(
    int Index,
    bool Best,
    double Loss,
    double ConsistencyLoss,
    double ConfidenceLoss,
    double ConfidenceLike,
    double ConsistencyLike,
    double CorrXY,
    double ShareOfPc1Variance
)
{
    public static List<RestartVariance> Of(Comparison cmp, PcaResult pca)
    {
        var top = VarianceDecomposition.Of(cmp.Train, pca.Components[0]).Variance;
        return cmp
            .Ccs.Restarts.Select(r =>
            {
                var v = VarianceDecomposition.Of(cmp.Train, DirectionDecomposition.Unit(r.Direction!));
                return new RestartVariance(
                    r.Index,
                    r.Index == cmp.Ccs.Best,
                    r.Loss,
                    r.Consistency,
                    r.Confidence,
                    v.ConfidenceLike,
                    v.ConsistencyLike,
                    v.CorrXY,
                    v.Variance / top
                );
            })
            .ToList();
    }
}

/// <summary>How close CCS's restarts come to PC1 at one dataset and layer: the lowest-loss restart's |cos| with PC1,
/// the mean over restarts, and the mean share of a restart's direction inside the span of the top three PCs.</summary>
public sealed record PcAlignment(
    string Dataset,
    int Layer,
    double BestAbsCosPc1,
    double MeanAbsCosPc1,
    double MeanShareInTop3Pcs
)
{
    public static List<PcAlignment> Of(IEnumerable<CcsPcaSummary> rows) =>
        rows.Select(s => new PcAlignment(s.Dataset, s.Layer, s.BestAbsCosPc1, s.MeanAbsCosPc1, s.MeanShareInTop3))
            .ToList();
}

/// <summary>One cell of Farquhar, Varma et al.'s App. D.6 (Fig. 18), as we read the figure: how often CCS (mean of
/// 10 seeds) and PCA agree, and the two methods' accuracies.</summary>
public sealed record FarquharCell(string Cell, double Agreement, double Ccs, double Pca)
{
    /// <summary>Their nine cells: three models × BoolQ, DBpedia, IMDB.</summary>
    public static IReadOnlyList<FarquharCell> AppendixD6 { get; } =
    [
        new("Chinchilla BoolQ", 0.74, 0.72, 0.74),
        new("Chinchilla DBpedia", 0.90, 0.92, 0.95),
        new("Chinchilla IMDB", 0.87, 0.85, 0.94),
        new("Flan-T5 BoolQ", 0.98, 0.90, 0.90),
        new("Flan-T5 DBpedia", 1.00, 1.00, 1.00),
        new("Flan-T5 IMDB", 0.98, 0.97, 0.96),
        new("T5 BoolQ", 0.57, 0.59, 0.61),
        new("T5 DBpedia", 0.90, 0.88, 0.90),
        new("T5 IMDB", 0.92, 0.94, 0.89),
    ];

    /// <summary>Agreement expected of two independent methods with these accuracies: ab + (1 − a)(1 − b).</summary>
    public double Independent => Metrics.IndependentAgreement(Ccs, Pca);
}

/// <summary>A Farquhar et al. cell with its independent baseline recomputed from its accuracies.</summary>
public sealed record FarquharCheck(string Cell, double Agreement, double IndependentRecomputed, double Excess)
{
    public static List<FarquharCheck> Of(IEnumerable<FarquharCell> cells) =>
        cells.Select(f => new FarquharCheck(f.Cell, f.Agreement, f.Independent, f.Agreement - f.Independent)).ToList();
}

/// <summary>CCS–PCA agreement at one dataset and layer on the test pairs: CCS's mean accuracy over restarts, PCA's,
/// how often they give the same (truth-oriented) answer, the independent-errors baseline, the excess, and the
/// label-free agreement (the share of pairs split the same way under the better relative sign).</summary>
public sealed record CcsPcaAgreement(
    string Dataset,
    int Layer,
    double CcsMean,
    double Pca,
    double Agreement,
    double Independent,
    double Excess,
    double LabelFreeAgreement
)
{
    public static List<CcsPcaAgreement> Of(IEnumerable<CcsPcaSummary> rows) =>
        rows.Select(s => new CcsPcaAgreement(
                s.Dataset,
                s.Layer,
                s.CcsMeanOverRestarts,
                s.Pca,
                s.AgreementCcsPca,
                s.IndependentCcsPca,
                s.AgreementCcsPca - s.IndependentCcsPca,
                s.UnsignedAgreementCcsPca
            ))
            .ToList();
}

/// <summary>Every method's test accuracy at one dataset and layer, with 95% Wilson intervals on the test pairs for
/// CCS, TPC and BSS.</summary>
public sealed record MethodAccuracy(
    string Dataset,
    int Layer,
    Interval Ccs,
    double CcsMean,
    Interval Tpc,
    Interval Bss,
    double LrPair,
    double LrDiff,
    double KMeans,
    double Random,
    double TpcShareOfCcs
)
{
    public static List<MethodAccuracy> Of(IEnumerable<CcsPcaSummary> rows) =>
        rows.Select(s => new MethodAccuracy(
                s.Dataset,
                s.Layer,
                Proportion.Wilson(s.Ccs, s.TestPairs),
                s.CcsMeanOverRestarts,
                Proportion.Wilson(s.Pca, s.TestPairs),
                Proportion.Wilson(s.Bss, s.TestPairs),
                s.LrPair,
                s.LrDifference,
                s.KMeans,
                s.RandomMean,
                s.PcaShareOfCcs
            ))
            .ToList();
}

/// <summary>Mean accuracies over a set of rows, in the columns of Burns et al.'s Table 2 (TPC, BSS, CCS) with the
/// supervised ceiling and TPC's share of CCS (the ratio of the means).</summary>
public sealed record BurnsMean(string Setting, double Tpc, double Bss, double Ccs, double LrPair, double TpcShareOfCcs)
{
    /// <summary>Burns et al.'s Table 2 (five models, T0 excluded; 10 datasets) and their Table 1 supervised
    /// mean.</summary>
    public static BurnsMean Paper { get; } =
        new("Burns et al. Table 2 (5 models, T0 excluded; 10 datasets)", 0.692, 0.698, 0.712, 0.837, 0.692 / 0.712);

    public static BurnsMean Of(string setting, IReadOnlyCollection<CcsPcaSummary> rows) =>
        new(
            setting,
            rows.Average(s => s.Pca),
            rows.Average(s => s.Bss),
            rows.Average(s => s.Ccs),
            rows.Average(s => s.LrPair),
            rows.Average(s => s.Pca) / rows.Average(s => s.Ccs)
        );

    /// <summary>The paper's row, then ours: the Burns-like datasets (all but <paramref name="easy"/>) at
    /// <paramref name="layer"/> and at every layer, <paramref name="focus"/> at <paramref name="layer"/>, and the
    /// easy set at every layer.</summary>
    public static List<BurnsMean> Table(
        IReadOnlyList<CcsPcaSummary> rows,
        string model,
        string focus,
        int layer,
        string easy = "polar-statements"
    )
    {
        var real = rows.Where(s => s.Dataset != easy).ToArray();
        return
        [
            Paper,
            Of($"{model}, the four Burns-like datasets at layer {layer}", real.Where(s => s.Layer == layer).ToArray()),
            Of($"{model}, the four Burns-like datasets, every layer", real),
            Of($"{model}, {focus} at layer {layer}", rows.Where(s => s.Dataset == focus && s.Layer == layer).ToArray()),
            Of($"{model}, polar statements, every layer", rows.Where(s => s.Dataset == easy).ToArray()),
        ];
    }
}
