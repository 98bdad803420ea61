using ScienceOfDL.Ccs.Experiments;

namespace ScienceOfDL.Ccs.Summaries;

/// <summary>How a method fares on one of Farquhar et al.'s desiderata: it meets it, fails it, or "meets" it only
/// vacuously, because it finds no truth to lose in the first place.</summary>
public enum DesideratumVerdict
{
    Meets,
    Fails,
    Vacuous,
}

/// <summary>One method against Farquhar et al.'s §6 desiderata, as notebook 02 measures them: the spread of its mean
/// truth accuracy over instruction prompts (1), the truth it loses to Alice's opinion and its Alice accuracy (2),
/// whether it explains its own bias (3: no method here comes with an argument), and the truth it loses and its banana
/// accuracy in the grid cell where it follows the word most (4); last, its default truth beside the untrained probes'
/// (a method no better than them passes 1, 2 and 4 vacuously).</summary>
public sealed record DesiderataRow(
    string Method,
    double PromptSpread,
    DesideratumVerdict InvariantToPrompts,
    double AliceTruthDrop,
    double AliceAccuracy,
    DesideratumVerdict NotSwayedByPersona,
    string ExplainsItsBias,
    double BananaTruthDrop,
    double BananaAccuracy,
    string BananaWorstCell,
    DesideratumVerdict NotDistracted,
    double DefaultTruth,
    double UntrainedDefaultTruth
);

/// <summary>One of Farquhar et al.'s accuracy claims beside ours: the mean over CCS seeds and the lowest-loss seed
/// (Burns' rule), PCA, k-means and supervised LR, each against the target the experiment names (truth, banana or
/// Alice).</summary>
public sealed record ClaimAccuracy(
    string Experiment,
    string FarquharEtAl,
    double CcsMean,
    double CcsLowestLossSeed,
    double Pca,
    double KMeans,
    double Lr
);

/// <summary>One of Farquhar et al.'s "the probes follow the distractor" claims beside ours: how many CCS seeds follow
/// it (and untrained probes, with Fisher's one-sided test, where measured), the seeds' mean distractor accuracy and
/// their spread (below 0.6, between, at least 0.9: a bimodal set has seeds at both ends), PCA's and k-means'
/// distractor accuracy. Empty cells: not measured in that experiment.</summary>
public sealed record ClaimFollowing(
    string Experiment,
    string FarquharEtAl,
    int CcsFollowing,
    int Seeds,
    int? UntrainedFollowing,
    double? PFisherVsUntrained,
    double CcsMeanDistractor,
    int? SeedsBelow60,
    int? SeedsBetween,
    int? SeedsAbove90,
    double? Pca,
    double? KMeans
);

/// <summary>Notebook 02's closing tables: the desiderata and the paper's claims beside our measurements.</summary>
public static class BananaShedSummary
{
    /// <summary>One row per method of <paramref name="methods"/>. A desideratum is met within
    /// <paramref name="tolerance"/> of no change and a distractor accuracy at most <paramref name="chance"/>; a pass
    /// is <see cref="DesideratumVerdict.Vacuous"/> when the method's default truth beats the untrained probes' by no
    /// more than <paramref name="tolerance"/>.</summary>
    public static List<DesiderataRow> Desiderata(
        DistractorRun plain,
        DistractorRun alice,
        IReadOnlyList<DistractorScore> promptRows,
        IReadOnlyList<DistractorCellScore> gridRows,
        string gridPrompts,
        IEnumerable<string> methods,
        double tolerance = 0.05,
        double chance = 0.6
    )
    {
        static double MeanTruth(IEnumerable<DistractorScore> rows, string m) =>
            rows.Where(r => r.Method == m).Average(r => r.Truth);
        var untrained = MeanTruth(plain.Scores, MethodNames.Random);
        var prompts = promptRows.Select(r => r.Setting).Distinct().ToArray();
        return methods
            .Select(m =>
            {
                var perPrompt = prompts.Select(t => MeanTruth(promptRows.Where(r => r.Setting == t), m)).ToArray();
                var spread = perPrompt.Max() - perPrompt.Min();
                var d = MeanTruth(plain.Scores, m);
                DesideratumVerdict Verdict(bool ok) =>
                    !ok ? DesideratumVerdict.Fails
                    : d > untrained + tolerance ? DesideratumVerdict.Meets
                    : DesideratumVerdict.Vacuous;
                var (aliceDrop, aliceAcc) = (d - MeanTruth(alice.Scores, m), alice.Of(m).Average(r => r.Distractor));
                var worst = DistractorCells.Worst(gridRows, m, gridPrompts);
                return new DesiderataRow(
                    m + (m == MethodNames.LrPair ? " (supervised)" : ""),
                    spread,
                    Verdict(spread <= tolerance),
                    aliceDrop,
                    aliceAcc,
                    Verdict(aliceDrop <= tolerance && aliceAcc <= chance),
                    "no",
                    worst.TruthDrop,
                    worst.Distractor,
                    worst.Cell,
                    Verdict(worst.TruthDrop <= tolerance && worst.Distractor <= chance),
                    d,
                    untrained
                );
            })
            .ToList();
    }

    /// <summary>The accuracy claims: default, banana/shed and Alice prompts (one mention), then each instruction
    /// prompt of <paramref name="promptRows"/> (in order).</summary>
    public static List<ClaimAccuracy> Accuracies(
        DistractorRun plain,
        DistractorRun banana,
        DistractorRun alice,
        IReadOnlyList<DistractorScore> promptRows
    )
    {
        var rows = new List<ClaimAccuracy>
        {
            Accuracy("default prompts, truth", "CCS, PCA, k-means all high", plain.Scores, s => s.Truth),
            Accuracy("banana/shed prompts, truth", "~50% for CCS, PCA, k-means", banana.Scores, s => s.Truth),
            Accuracy(
                "banana/shed prompts, banana",
                "PCA, k-means high; CCS bimodal, many seeds ~100%",
                banana.Scores,
                s => s.Distractor
            ),
            Accuracy("Alice (1 mention), truth", "low truth", alice.Scores, s => s.Truth),
            Accuracy("Alice (1 mention), Alice", "high Alice", alice.Scores, s => s.Distractor),
        };
        rows.AddRange(
            promptRows
                .Select(r => r.Setting)
                .Distinct()
                .Select(p =>
                    Accuracy(
                        $"{p}, truth",
                        "literal / professor beat default",
                        promptRows.Where(r => r.Setting == p).ToList(),
                        s => s.Truth
                    )
                )
        );
        return rows;
    }

    /// <summary>The following claims: banana/shed at the default representation, each cell of §1's grid where more
    /// CCS seeds follow <paramref name="gridPrompts"/> than untrained probes (Fisher's p below
    /// <paramref name="p"/>), Alice with one mention, then each mention count of the mention sweep (CCS,
    /// <paramref name="mentionSeeds"/> seeds).</summary>
    public static List<ClaimFollowing> Following(
        DistractorRun banana,
        DistractorRun alice,
        IEnumerable<CellFollowing> grid,
        string gridPrompts,
        IEnumerable<MentionMean> mentions,
        int mentionSeeds,
        double threshold,
        double p = 0.05
    )
    {
        var rows = new List<ClaimFollowing> { Following("banana/shed, default representation", banana, threshold) };
        rows.AddRange(
            grid.Where(f => f.Prompts == gridPrompts && f.PFisherVsUntrained < p)
                .Select(f => new ClaimFollowing(
                    $"banana/shed, {f.Cell}",
                    "a substantial share, bimodal",
                    f.CcsFollowing,
                    f.Seeds,
                    f.UntrainedFollowing,
                    f.PFisherVsUntrained,
                    f.CcsMeanDistractor,
                    f.SeedsBelow60,
                    f.SeedsBetween,
                    f.SeedsAbove90,
                    f.PcaDistractor,
                    f.KMeansDistractor
                ))
        );
        rows.Add(
            Following("Alice (1 mention)", alice, threshold) with
            {
                FarquharEtAl = "most follow Alice; CCS not bimodal",
            }
        );
        rows.AddRange(
            mentions
                .Where(m => m.Method == MethodNames.Ccs)
                .Select(m => new ClaimFollowing(
                    $"Alice, {m.Mentions} mention{(m.Mentions == 1 ? "" : "s")}",
                    "one mention is enough",
                    m.Following,
                    mentionSeeds,
                    null,
                    null,
                    m.Alice,
                    null,
                    null,
                    null,
                    null,
                    null
                ))
        );
        return rows;
    }

    static ClaimAccuracy Accuracy(
        string experiment,
        string paper,
        IReadOnlyList<DistractorScore> scores,
        Func<DistractorScore, double> f
    )
    {
        var ccs = scores.Where(s => s.Method == MethodNames.Ccs).ToList();
        double One(string m) => f(scores.Single(s => s.Method == m));
        return new(
            experiment,
            paper,
            ccs.Average(f),
            f(ccs.Single(s => s.IsBest)),
            One(MethodNames.Pca),
            One(MethodNames.KMeans),
            One(MethodNames.LrPair)
        );
    }

    static ClaimFollowing Following(string experiment, DistractorRun run, double threshold)
    {
        var ccs = DistractorTables.Following(run, MethodNames.Ccs, threshold);
        var untrained = DistractorTables.Following(run, MethodNames.Random, threshold);
        var seeds = run.Of(MethodNames.Ccs).Select(s => s.Distractor).ToList();
        var spread = DistractorCells.SeedSpread(seeds);
        return new(
            experiment,
            "a substantial share",
            ccs.Follow,
            ccs.Of,
            untrained.Follow,
            ccs.PFisherVsUntrained,
            seeds.Average(),
            spread.Below60,
            spread.Between,
            spread.Above90,
            run.Kept(MethodNames.Pca).Distractor,
            run.Kept(MethodNames.KMeans).Distractor
        );
    }
}
