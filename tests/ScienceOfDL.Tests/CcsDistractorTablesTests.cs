using ScienceOfDL.Ccs.Data;
using ScienceOfDL.Ccs.Experiments;
using ScienceOfDL.Ccs.Probing;
using ScienceOfDL.LanguageModels;
using ScienceOfDL.Plots;

namespace ScienceOfDL.Tests;

/// <summary>Notebook 02's typed sweeps and tables: rows carry their layer, mention count and prompts as fields, and
/// each table is one record per row.</summary>
public class CcsDistractorTablesTests
{
    static DistractorScore S(
        string setting,
        string method,
        int seed,
        double truth,
        double distractor,
        bool best = false,
        double? loss = null
    ) => new(setting, method, seed, best, truth, distractor, loss);

    // Two CCS seeds (seed 1 the lowest-loss, following), two untrained probes, one LR, PCA and k-means row each.
    static List<DistractorScore> Run(string setting) =>
        [
            S(setting, MethodNames.Ccs, 0, 0.9, 0.5, loss: 0.2),
            S(setting, MethodNames.Ccs, 1, 0.5, 0.95, true, 0.1),
            S(setting, MethodNames.LrPair, 0, 0.97, 0.5),
            S(setting, MethodNames.Pca, 0, 0.6, 0.8),
            S(setting, MethodNames.KMeans, 0, 0.55, 0.9),
            S(setting, MethodNames.Random, 0, 0.5, 0.5),
            S(setting, MethodNames.Random, 1, 0.52, 0.8),
        ];

    [Fact]
    public void Layer_rows_carry_prompts_and_layer_and_average_per_method()
    {
        var rows = new[] { 1, 2 }
            .SelectMany(l => Run(DistractorSweeps.LayerSetting(l)).Select(s => new LayerScore("banana/shed", l, s)))
            .ToList();
        var means = DistractorSweeps.LayerMeans(rows, [MethodNames.Ccs, MethodNames.Pca]);
        Assert.Equal(4, means.Count);
        var ccs = means.First(m => m.Layer == 2 && m.Method == MethodNames.Ccs);
        Assert.Equal(
            ("banana/shed", 0.7, 0.725, 0.5, 0.95),
            (ccs.Prompts, ccs.Truth, ccs.Banana, ccs.LowestLossSeedTruth!.Value, ccs.LowestLossSeedBanana!.Value)
        );
        Assert.Null(means.First(m => m.Method == MethodNames.Pca).LowestLossSeedTruth);
        var following = DistractorSweeps.Following(rows, 0.75, seeds: 2);
        Assert.Equal([1, 2], following.Select(f => f.Layer));
        Assert.All(following, f =>
            Assert.Equal((1, 1, 0.6, 0.97), (f.CcsFollowing, f.UntrainedFollowing, f.Pca, f.Lr))
        );
    }

    [Fact]
    public void Mention_means_count_the_seeds_that_follow()
    {
        var rows = Run(DistractorSweeps.MentionSetting(3)).Select(s => new MentionScore(3, s)).ToList();
        var ccs = DistractorSweeps.MentionMeans(rows, [MethodNames.Ccs], 0.75).Single();
        Assert.Equal((3, 0.7, 0.725, 1), (ccs.Mentions, ccs.Truth, ccs.Alice, ccs.Following));
    }

    [Fact]
    public void Kept_is_the_lowest_loss_seed_for_ccs_and_seed_0_for_untrained_probes()
    {
        var run = new DistractorRun("banana/shed", null!, Run("banana/shed"), [], []);
        Assert.Equal(1, run.Kept(MethodNames.Ccs).Seed);
        Assert.Equal(0, run.Kept(MethodNames.Random).Seed);
        var ccs = DistractorTables.Following(run, MethodNames.Ccs, 0.75);
        Assert.Equal(("CCS seeds", 1, 2), (ccs.Probes, ccs.Follow, ccs.Of));
        Assert.True(double.IsNaN(DistractorTables.Following(run, MethodNames.Random, 0.75).PFisherVsUntrained));
        var (low, others) = DistractorTables.ByLoss(
            run with
            {
                Scores = [.. Enumerable.Range(0, 10).Select(i => S("x", MethodNames.Ccs, i, 0.5, 0.5, loss: 10 - i))],
            }
        );
        Assert.Equal([9, 8], low.Select(s => s.Seed));
        Assert.Equal(8, others.Count);
    }

    [Fact]
    public void Prompt_tables_have_one_row_per_prompt_in_order()
    {
        var rows = Run("literal prompt").Concat(Run("professor prompt")).ToList();
        Assert.Equal(["literal prompt", "professor prompt"], DistractorTables.PromptTruths(rows).Select(r => r.Prompt));
        var means = DistractorTables.PromptMeans(rows, [MethodNames.Ccs]);
        Assert.All(means, m => Assert.Equal(0.7, m.Truth, 12));
    }

    [Fact]
    public void Company_reading_counts_oriented_seeds_that_follow_alice()
    {
        SubsetScore R(string m, int seed, string subset, double acc) =>
            new("company Alice", m, seed, false, subset, acc);
        var rows = new[]
        {
            R(MethodNames.Ccs, 0, CompanyOpinion.Company, 0.3),
            R(MethodNames.Ccs, 0, CompanyOpinion.Other, 0.9),
            R(MethodNames.Ccs, 1, CompanyOpinion.Company, 0.4),
            R(MethodNames.Ccs, 1, CompanyOpinion.Other, 0.5),
            R(MethodNames.LrPair, 0, CompanyOpinion.Company, 0.8),
            R(MethodNames.LrPair, 0, CompanyOpinion.Other, 0.95),
        };
        var r = CompanyOpinion.Read(rows, [true, false, false]);
        Assert.Equal(new CompanyReading(1, 2, 2, 2, 1, 1, 0.8, 0.95), r);
    }

    [Fact]
    public void Named_settings_alice_tasks_and_short_cell_names()
    {
        Assert.Equal(CcsOptions.Farquhar, CcsOptions.Named("Farquhar"));
        Assert.Equal(CcsOptions.BurnsPaper, CcsOptions.Named("Burns"));
        Assert.Throws<ArgumentException>(() => CcsOptions.Named("burns"));
        Assert.Equal("answering questions about facts", Distractors.AliceTask("facts"));
        Assert.Equal(
            "polar · the word · per dim.",
            CcsCharts.ShortName("polar-statements", TokenPosition.LastText, Scaling.PerDimension, Centring.PerHalf)
        );
        Assert.Equal(
            "topics · [SEP] · per half",
            CcsCharts.ShortName("topics", TokenPosition.Last, Scaling.PerHalf, Centring.PerHalf)
        );
    }
}
