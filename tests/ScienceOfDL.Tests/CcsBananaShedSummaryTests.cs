using ScienceOfDL.Ccs.Experiments;
using ScienceOfDL.Ccs.Probing;
using ScienceOfDL.Ccs.Summaries;
using ScienceOfDL.LanguageModels;

namespace ScienceOfDL.Tests;

/// <summary>Notebook 02's closing tables: one typed record per row, numbers kept as numbers and verdicts as an enum.
/// </summary>
public class CcsBananaShedSummaryTests
{
    static DistractorScore S(
        string setting,
        string method,
        int seed,
        double truth,
        double distractor,
        bool best = false
    ) => new(setting, method, seed, best, truth, distractor, null);

    // Two CCS seeds (seed 1 the lowest-loss, following), two untrained probes, one LR, PCA and k-means row each.
    static List<DistractorScore> Scores(string setting, double ccsTruth = 0.9) =>
        [
            S(setting, MethodNames.Ccs, 0, ccsTruth, 0.5),
            S(setting, MethodNames.Ccs, 1, 0.5, 0.95, true),
            S(setting, MethodNames.LrPair, 0, 0.97, 0.5),
            S(setting, MethodNames.Pca, 0, 0.52, 0.8),
            S(setting, MethodNames.KMeans, 0, 0.53, 0.58),
            S(setting, MethodNames.Random, 0, 0.5, 0.5),
            S(setting, MethodNames.Random, 1, 0.5, 0.8),
        ];

    static DistractorRun Run(string setting, double ccsTruth = 0.9) =>
        new(setting, null!, Scores(setting, ccsTruth), [], []);

    static IEnumerable<DistractorCellScore> Cell(string dataset, string prompts, double lrDistractor) =>
        Scores(prompts)
            .Select(s => new DistractorCellScore(
                dataset,
                TokenPosition.Answer,
                Scaling.PerHalf,
                Centring.PerHalf,
                4,
                prompts,
                s.Method,
                s.Seed,
                s.IsBest,
                s.Truth,
                s.Method == MethodNames.LrPair ? lrDistractor : s.Distractor,
                null,
                10
            ));

    [Fact]
    public void Desiderata_score_each_wish_and_mark_passes_without_truth_vacuous()
    {
        var prompts = Scores("default prompt").Concat(Scores("literal prompt", ccsTruth: 0.7)).ToList();
        var grid = Cell("topics", "default", 0.5)
            .Concat(Cell("topics", "banana/shed", 0.5))
            .Concat(Cell("polar", "default", 0.5))
            .Concat(Cell("polar", "banana/shed", 0.55))
            .ToList();
        var rows = BananaShedSummary.Desiderata(
            Run("default"),
            Run("Alice"),
            prompts,
            grid,
            "banana/shed",
            [MethodNames.Ccs, MethodNames.KMeans, MethodNames.LrPair]
        );
        Assert.Equal(["CCS", "k-means", "LR (pair) (supervised)"], rows.Select(r => r.Method));
        var ccs = rows[0];
        Assert.Equal(0.1, ccs.PromptSpread, 12);
        Assert.Equal(DesideratumVerdict.Fails, ccs.InvariantToPrompts);
        Assert.Equal((0.0, 0.725), (ccs.AliceTruthDrop, ccs.AliceAccuracy));
        Assert.Equal(DesideratumVerdict.Fails, ccs.NotSwayedByPersona);
        Assert.Equal((0.7, 0.5), (ccs.DefaultTruth, ccs.UntrainedDefaultTruth));
        // k-means' default truth 0.53 beats the untrained probes' 0.5 by no more than 0.05: its passes are vacuous.
        Assert.Equal(DesideratumVerdict.Vacuous, rows[1].InvariantToPrompts);
        Assert.Equal(DesideratumVerdict.Vacuous, rows[1].NotDistracted);
        var lr = rows[2];
        Assert.Equal((DesideratumVerdict.Meets, "polar · Answer · PerHalf"), (lr.NotDistracted, lr.BananaWorstCell));
        Assert.Equal(0.55, lr.BananaAccuracy, 12);
    }

    [Fact]
    public void Claims_tables_keep_one_row_per_claim_with_numbers_as_numbers()
    {
        var prompts = Scores("default prompt").Concat(Scores("literal prompt")).ToList();
        var acc = BananaShedSummary.Accuracies(Run("default"), Run("banana/shed"), Run("Alice"), prompts);
        Assert.Equal(7, acc.Count);
        Assert.Equal("banana/shed prompts, banana", acc[2].Experiment);
        Assert.Equal(
            (0.725, 0.95, 0.8, 0.58, 0.5),
            (acc[2].CcsMean, acc[2].CcsLowestLossSeed, acc[2].Pca, acc[2].KMeans, acc[2].Lr)
        );
        Assert.Equal("literal prompt, truth", acc[6].Experiment);

        var grid = DistractorCells.Following(Cell("polar", "banana/shed", 0.5).ToList());
        MentionMean[] mentions = [new(0, MethodNames.Ccs, 0.9, 0.5, 0), new(1, MethodNames.Ccs, 0.5, 1, 2)];
        var following = BananaShedSummary.Following(
            Run("banana/shed"),
            Run("Alice"),
            grid,
            "banana/shed",
            mentions,
            mentionSeeds: 2,
            threshold: 0.75,
            p: 1.01
        );
        Assert.Equal(
            [
                "banana/shed, default representation",
                "banana/shed, polar · Answer · PerHalf",
                "Alice (1 mention)",
                "Alice, 0 mentions",
                "Alice, 1 mention",
            ],
            following.Select(f => f.Experiment)
        );
        var first = following[0];
        Assert.Equal(
            (1, 2, 1, 1, 0, 1),
            (
                first.CcsFollowing,
                first.Seeds,
                first.UntrainedFollowing!.Value,
                first.SeedsBelow60!.Value,
                first.SeedsBetween!.Value,
                first.SeedsAbove90!.Value
            )
        );
        Assert.Null(following[4].UntrainedFollowing);
        Assert.Equal((2, 2, 1.0), (following[4].CcsFollowing, following[4].Seeds, following[4].CcsMeanDistractor));
    }
}
