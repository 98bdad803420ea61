using ScienceOfDL.Grokking;
using ScienceOfDL.Results;

namespace ScienceOfDL.Tests;

/// <summary>The committed full-mode grokking results hold what notebooks 04 and 05 say they hold.</summary>
public class GrokkingCommittedResultsTests
{
    static readonly ResultsStore Store = new(Path.Combine(Repository.Root(), "data", "results"));

    [Fact]
    public void The_efficiency_study_has_every_kind_at_four_sizes_four_weight_decays_and_three_seeds_all_settled()
    {
        var study = EfficiencyStudy
            .Saved(Store, 59)
            .Where(s => s.Settings.Optimiser.Eps == 1e-8 && s.Settings.Optimiser.LearningRate == 1e-3)
            .MaxBy(s => s.Runs.Count)
            .Runs;
        var header = File.ReadLines(Directory.GetFiles(Store.Folder, "efficiency-study-p59-*.csv")[0]).First();
        foreach (
            var column in new[]
            {
                "Kind",
                "TrainSize",
                "WeightDecay",
                "Seed",
                "ParameterNorm",
                "CorrectLogit",
                "TrainLoss",
            }
        )
            Assert.Contains(column, header.Split(','));
        foreach (var kind in new[] { CircuitKind.Memorising, CircuitKind.Generalising })
        {
            var runs = study.Where(r => r.Kind == kind).ToList();
            Assert.True(runs.Select(r => r.TrainSize).Distinct().Count() >= 4, $"{kind}: sizes");
            Assert.True(runs.Select(r => r.WeightDecay).Distinct().Count() >= 4, $"{kind}: weight decays");
            Assert.All(runs.GroupBy(r => (r.TrainSize, r.WeightDecay)), g =>
                Assert.True(g.Select(r => r.Seed).Distinct().Count() >= 3, $"{kind} {g.Key}: seeds")
            );
        }
        Assert.All(study, r => Assert.True(r.Settled && r.NormSwing <= 0.02, $"{r}"));
    }

    [Fact]
    public void The_notebooks_quoted_d_crit_is_read_from_every_saved_run_of_both_sweeps()
    {
        var runs = EfficiencyStudy.SavedRuns(Store, 59, 1e-3);
        Assert.Equal(180, runs.Count);
        var levels = EfficiencyCurves.Levels(EfficiencyCurves.Fit(runs), 3);
        Assert.Equal([25.7, 30.5, 35.4], levels);
        var dCrit = EfficiencyCurves.CriticalSizes(runs, levels, 59 * 59);
        Assert.Equal([325, 324, 323], dCrit.Select(d => Math.Round(d.CriticalSize!.Value)));
    }
}
