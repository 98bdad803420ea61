using ScienceOfDL.Ccs.Probing;
using ScienceOfDL.LanguageModels;
using ScienceOfDL.Statistics;

namespace ScienceOfDL.Ccs.Experiments;

/// <summary>One cell of the token-isolation grid of notebook 02: a dataset read at one token, scaling, centring and
/// layer; <see cref="Pairs"/> is the fingerprint of its default and distractor pairs, so a change to either is another
/// job.</summary>
public sealed record DistractorCell(
    string Dataset,
    TokenPosition Token,
    Scaling Scaling,
    Centring Centring,
    int Layer,
    string Pairs
)
{
    /// <summary>"topics · Answer · PerDimension": how charts and tables name the cell.</summary>
    public string Name => $"{Dataset} · {Token} · {Scaling}" + (Centring == Centring.PerHalf ? "" : $" · {Centring}");
}

/// <summary>One method (one seed, for CCS and untrained probes) in one cell under one prompt set ("default" or the
/// distractor's): truth and distractor accuracy on the test split, each sign-disambiguated on its own.</summary>
public sealed record DistractorCellScore(
    string Dataset,
    TokenPosition Token,
    Scaling Scaling,
    Centring Centring,
    int Layer,
    string Prompts,
    string Method,
    int Seed,
    bool IsBest,
    double Truth,
    double Distractor,
    double? TrainLoss,
    int TestPairs
)
{
    public string Cell => $"{Dataset} · {Token} · {Scaling}" + (Centring == Centring.PerHalf ? "" : $" · {Centring}");

    /// <summary>As <see cref="DistractorScore.Follows"/>: distractor accuracy at least the threshold and above
    /// truth.</summary>
    public bool Follows(double threshold = 0.75) => Distractor >= threshold && Distractor > Truth;
}

/// <summary>One cell under one prompt set in one line: how many CCS seeds follow the distractor against how many
/// untrained probes (Fisher's one-sided test), how the seeds' distractor accuracies are spread (near chance, between,
/// near 1: a bimodal distribution has seeds at both ends and few between), and PCA's and k-means' distractor accuracy
/// beside the lowest-loss seed's and LR's truth accuracy.</summary>
public sealed record CellFollowing(
    string Dataset,
    string Cell,
    string Prompts,
    int TestPairs,
    int CcsFollowing,
    int Seeds,
    Interval FractionFollowing,
    int UntrainedFollowing,
    double PFisherVsUntrained,
    int SeedsBelow60,
    int SeedsBetween,
    int SeedsAbove90,
    double CcsMeanDistractor,
    double PcaDistractor,
    double KMeansDistractor,
    double CcsLowestLossTruth,
    double LrTruth
);

/// <summary>For one method, the grid cell where it follows the distractor most (highest mean distractor accuracy over
/// its seeds on the distractor prompts), with its mean truth accuracy there with and without the distractor.</summary>
public sealed record WorstCell(string Method, string Cell, double DefaultTruth, double Truth, double Distractor)
{
    /// <summary>How much truth accuracy the distractor costs in that cell.</summary>
    public double TruthDrop => DefaultTruth - Truth;
}

public static class DistractorCells
{
    /// <summary>The cell of <paramref name="rows"/> where <paramref name="method"/> follows the distractor
    /// most.</summary>
    public static WorstCell Worst(IEnumerable<DistractorCellScore> rows, string method, string distractorPrompts)
    {
        var mine = rows.Where(r => r.Method == method).ToList();
        var worst = mine.Where(r => r.Prompts == distractorPrompts)
            .GroupBy(r => r.Cell)
            .MaxBy(g => g.Average(r => r.Distractor))!;
        var without = mine.Where(r => r.Cell == worst.Key && r.Prompts != distractorPrompts).ToList();
        return new(
            method,
            worst.Key,
            without.Average(r => r.Truth),
            worst.Average(r => r.Truth),
            worst.Average(r => r.Distractor)
        );
    }

    /// <summary>One cell of the grid: the default and the distractor prompts (<paramref name="acts"/> of false and
    /// true), both scored against the distractor pairs' bit <paramref name="tag"/> (the same coin for the same example
    /// in both sets); the distractor prompts' rows are tagged <paramref name="prompts"/>.</summary>
    public static IEnumerable<DistractorCellScore> Run(
        DistractorCell c,
        Func<bool, PairActivations> acts,
        string tag,
        string prompts,
        CcsOptions options,
        int splitSeed,
        TorchSharp.torch.Device? device
    )
    {
        var bits = acts(true).Tag(tag);
        DistractorRun R(bool distractor) =>
            TorchThreads.One(() =>
                DistractorExperiment.Run(
                    c.Name,
                    acts(distractor),
                    c.Layer,
                    bits,
                    options,
                    splitSeed,
                    device,
                    scaling: c.Scaling,
                    centring: c.Centring
                )
            );
        return Rows(c, "default", R(false)).Concat(Rows(c, prompts, R(true)));
    }

    /// <summary>The rows of one run, tagged with its cell and prompt set.</summary>
    public static IEnumerable<DistractorCellScore> Rows(DistractorCell cell, string prompts, DistractorRun run) =>
        run.Scores.Select(s => new DistractorCellScore(
            cell.Dataset,
            cell.Token,
            cell.Scaling,
            cell.Centring,
            cell.Layer,
            prompts,
            s.Method,
            s.Seed,
            s.IsBest,
            s.Truth,
            s.Distractor,
            s.TrainLoss,
            run.Comparison.Test.Count
        ));

    /// <summary>How CCS seeds' distractor accuracies spread: below 0.6, between, at least 0.9 (a bimodal set has seeds
    /// at both ends and few between).</summary>
    public static (int Below60, int Between, int Above90) SeedSpread(IEnumerable<double> distractor)
    {
        var a = distractor.ToList();
        return (a.Count(x => x < 0.6), a.Count(x => x is >= 0.6 and < 0.9), a.Count(x => x >= 0.9));
    }

    /// <summary>One line per cell and prompt set, in the order the rows come.</summary>
    public static List<CellFollowing> Following(IEnumerable<DistractorCellScore> rows, double threshold = 0.75) =>
        rows.GroupBy(r => (r.Dataset, r.Cell, r.Prompts))
            .Select(g =>
            {
                var ccs = g.Where(r => r.Method == MethodNames.Ccs).ToList();
                var untrained = g.Where(r => r.Method == MethodNames.Random).ToList();
                var (k, u) = (ccs.Count(r => r.Follows(threshold)), untrained.Count(r => r.Follows(threshold)));
                double Only(string m, Func<DistractorCellScore, double> f) => f(g.Single(r => r.Method == m));
                var spread = SeedSpread(ccs.Select(r => r.Distractor));
                return new CellFollowing(
                    g.Key.Dataset,
                    g.Key.Cell,
                    g.Key.Prompts,
                    g.First().TestPairs,
                    k,
                    ccs.Count,
                    Proportion.Wilson(k, ccs.Count),
                    u,
                    HypothesisTests.FisherGreater(k, ccs.Count, u, untrained.Count),
                    spread.Below60,
                    spread.Between,
                    spread.Above90,
                    ccs.Average(r => r.Distractor),
                    Only(MethodNames.Pca, r => r.Distractor),
                    Only(MethodNames.KMeans, r => r.Distractor),
                    ccs.Single(r => r.IsBest).Truth,
                    Only(MethodNames.LrPair, r => r.Truth)
                );
            })
            .ToList();
}
