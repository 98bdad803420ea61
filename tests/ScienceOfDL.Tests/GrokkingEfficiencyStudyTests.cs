using ScienceOfDL.Grokking;
using ScienceOfDL.Results;

namespace ScienceOfDL.Tests;

public class GrokkingEfficiencyStudyTests : TinyGrokking // Table, Data, Tiny, Folder
{
    // Norm mirrors the logit around 40, so both readings of D_crit should agree on these runs.
    static EfficiencyRun Run(string kind, int d, double wd, int seed, double logit, double trainAcc = 1,
        double trig = 0.95) =>
        new(kind, d, wd, seed, 100, 40 - logit, logit, trainAcc, 1, kind == Efficiency.Memorising ? 0.1 : trig, 0.001);

    // Memorising logit falls with log D (and its norm grows) and crosses the generalising one (flat in D) at D = 300,
    // at both weight decays, with seed noise of ±0.1.
    static List<EfficiencyRun> Synthetic() =>
    [
        .. from wd in new[] { 1.0, 2.0 } from seed in new[] { 0, 1, 2 } from d in new[] { 60, 120, 240, 480, 960 }
           select Run(Efficiency.Memorising, d, wd, seed, 20 / wd - 2 * Math.Log(d / 300.0) + 0.1 * (seed - 1)),
        .. from wd in new[] { 1.0, 2.0 } from seed in new[] { 0, 1, 2 } from d in new[] { 1000, 2000 }
           select Run(Efficiency.Generalising, d, wd, seed, 20 / wd + 0.05 * (seed - 1)),
    ];

    [Fact]
    public void D_crit_is_where_the_memorising_logit_falls_to_the_generalising_one_with_an_interval_around_it()
    {
        var estimate = EfficiencyStudy.CriticalSize(Synthetic(), [1.0, 2.0], tableSize: 3000, EfficiencyStudy.ByLogit);
        Assert.InRange(estimate.CriticalSize!.Value, 280, 320);
        Assert.InRange(EfficiencyStudy.CriticalSize(Synthetic(), [1.0, 2.0], 3000).CriticalSize!.Value, 280, 320);
        Assert.Equal("", estimate.Where);
        // Memorising networks that hold less norm than the generalising ones at every D: D_crit above the sizes.
        var cheap = EfficiencyStudy.CriticalSize(Synthetic().Select(r => r.Kind == Efficiency.Memorising
            ? r with { ParameterNorm = 1 } : r).ToList(), [1.0, 2.0], 3000);
        Assert.Null(cheap.CriticalSize);
        Assert.StartsWith("above 960", cheap.Where);
        // ... and memorising logits below the generalising ones at every D: D_crit below them.
        var weak = Synthetic().Select(r => r.Kind == Efficiency.Memorising ? r with { CorrectLogit = -100 } : r);
        Assert.StartsWith("below 60",
            EfficiencyStudy.CriticalSize(weak.ToList(), [1.0, 2.0], 3000, EfficiencyStudy.ByLogit).Where);
        // Every weight decay alone, then pooled, by norm and then by logit.
        Assert.Equal(new[] { EfficiencyStudy.ByNorm, EfficiencyStudy.ByLogit }.SelectMany(m => new[]
            {
                EfficiencyStudy.CriticalSize(Synthetic(), [1.0], 3000, m),
                EfficiencyStudy.CriticalSize(Synthetic(), [2.0], 3000, m),
                EfficiencyStudy.CriticalSize(Synthetic(), [1.0, 2.0], 3000, m),
            }), EfficiencyStudy.CriticalSizes(Synthetic(), [1.0, 2.0], [1.0, 2.0], 3000));
        Assert.Equal(2, EfficiencyStudy.CriticalSizes(Synthetic(), [1.0], [1.0], 3000).Count); // no pool of one
        Assert.NotNull(estimate.Interval);
        Assert.True(estimate.Interval.Contains(estimate.CriticalSize.Value) && estimate.Interval.Width > 0);
        Assert.Equal(30, estimate.MemorisingRuns);
        Assert.Equal(12, estimate.GeneralisingRuns);
        Assert.Equal(estimate.CriticalSize / 3000, estimate.ShareOfTable);
    }

    [Fact]
    public void Networks_that_did_not_memorise_or_are_not_trigonometric_do_not_enter_D_crit()
    {
        var runs = Synthetic();
        // A generalising network that is not trigonometric, with a logit that would move the crossing far away.
        runs.Add(Run(Efficiency.Generalising, 1000, 1.0, 3, logit: 60, trig: 0.5));
        // Memorising networks at D = 960 that did not memorise, with a logit that would add a crossing there.
        runs.AddRange(new[] { 3, 4, 5 }.Select(s =>
            Run(Efficiency.Memorising, 960, 1.0, s, logit: 100, trainAcc: 0.6)));
        var estimate = EfficiencyStudy.CriticalSize(runs, [1.0, 2.0], tableSize: 3000, EfficiencyStudy.ByLogit);
        Assert.InRange(estimate.CriticalSize!.Value, 280, 320);
        Assert.Equal(12, estimate.GeneralisingRuns);
        // Without generalising networks at a weight decay there is no estimate there.
        Assert.Null(EfficiencyStudy.CriticalSize(runs.Where(r => r.Kind == Efficiency.Memorising).ToList(), [1.0],
            3000).CriticalSize);
    }

    // Two networks trained 3 steps (far from grokked: the study only needs checkpoints) and the store they are in.
    (ResultsStore Store, List<string> Checkpoints) TwoGrokkedNetworks()
    {
        var store = new ResultsStore(Folder);
        var grokked = EfficiencyStudy.GrokkedNetworks(Data, 2, new TrainConfig(Steps: 3, LearningRate: 1e-2), store);
        var checkpoints = grokked.Select(g => g.Checkpoint!).ToList();
        foreach (var g in grokked) g.Dispose();
        return (store, checkpoints);
    }

    [Fact]
    public void The_study_trains_every_kind_size_weight_decay_and_seed_for_equal_time_scales_and_reads_them_back()
    {
        var (store, checkpoints) = TwoGrokkedNetworks();
        var optimiser = new TrainConfig(Steps: 1, LearningRate: 1e-2);
        var runs = EfficiencyStudy.Run(Table, checkpoints, [20, 40], [300, 500], [1.0, 2.0], 0.08, optimiser, store,
            Tiny);
        Assert.Equal(2 * 2 * 2 * 2, runs.Count);
        Assert.All(runs, r => Assert.Equal(0.08, r.Steps * 1e-2 * r.WeightDecay, 1e-9));   // 8 and 4 steps
        Assert.All(runs, r => Assert.InRange(r.TrigShare, 0, 1));
        Assert.All(runs.Where(r => r.Kind == Efficiency.Memorising), r => Assert.True(double.IsNaN(r.TestAccuracy)));
        Assert.Equal([0, 1], runs.Select(r => r.Seed).Distinct().Order());
        Assert.NotEqual(runs.First(r => r.Seed == 0).ParameterNorm, runs.First(r => r.Seed == 1).ParameterNorm);
        var again = EfficiencyStudy.Run(Table, checkpoints, [20, 40], [300, 500], [1.0, 2.0], 0.08, optimiser, store,
            Tiny);
        Assert.Equal(runs.Select(r => r with { TestAccuracy = 0 }), again.Select(r => r with { TestAccuracy = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => EfficiencyStudy.Run(Table, checkpoints, [20], [900],
            [1.0], 0.08, optimiser, store, Tiny));
    }

    [Fact]
    public void With_a_cap_runs_go_on_until_their_norm_settles_and_the_longer_runs_follow_their_fixed_length_path()
    {
        var (store, checkpoints) = TwoGrokkedNetworks();
        var optimiser = new TrainConfig(Steps: 1, LearningRate: 1e-2);
        List<EfficiencyRun> Study(double scales, double? max = null) => EfficiencyStudy.Run(Table, checkpoints,
            [20, 40], [300], [1.0], scales, optimiser, store, Tiny, maxTimeScales: max);
        var capped = Study(0.08, max: 0.24);   // at least 8 steps, at most 24
        Assert.All(capped, r => Assert.True(r.Settled || r.Steps == 24, $"{r} neither settled nor at the cap"));
        Assert.All(capped, r => Assert.InRange(r.Steps, 8, 24));
        Assert.Contains(capped, r => r.Steps == 24);   // a tiny network's norm still moves > 2% in 24 steps
        // A run that went on to the cap is where the same run of 24 steps in one go ends.
        var longRuns = Study(0.24);
        foreach (var r in capped.Where(r => r.Steps == 24))
        {
            var same = longRuns.Single(l => (l.Kind, l.TrainSize, l.Seed) == (r.Kind, r.TrainSize, r.Seed));
            Assert.Equal(same.ParameterNorm, r.ParameterNorm, 1e-4);
            Assert.Equal(same.NormChange, r.NormChange, 1e-4);
        }
        // The stopping rule is part of the key: a capped study is saved apart from the fixed-length one.
        Assert.NotEqual(EfficiencyStudy.Key(Table, checkpoints, [20, 40], [300], 0.08, optimiser, Tiny).Hash,
            EfficiencyStudy.Key(Table, checkpoints, [20, 40], [300], 0.08, optimiser, Tiny, 0.24).Hash);
        Assert.Equal(capped.Select(r => r with { TestAccuracy = 0 }),
            Study(0.08, max: 0.24).Select(r => r with { TestAccuracy = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Study(0.08, max: 0.04));
    }

    [Fact]
    public void Prolonged_runs_retrace_their_study_run_measured_every_half_time_scale_and_are_read_back()
    {
        var (store, checkpoints) = TwoGrokkedNetworks();
        var optimiser = new TrainConfig(Steps: 1, LearningRate: 1e-2);
        // At lr·wd = 0.01 a time scale is 100 steps: the study runs 8, the prolonged runs 24.
        var study = EfficiencyStudy.Run(Table, checkpoints, [20], [300], [1.0], 0.08, optimiser, store, Tiny);
        EfficiencyRun[] picked = [study.First(r => r.Kind == Efficiency.Memorising),
            study.Last(r => r.Kind == Efficiency.Generalising)];
        var logs = EfficiencyStudy.Prolong(Table, checkpoints, picked, 0.24, optimiser, store, Tiny);
        Assert.Equal(2, logs.Count);
        Assert.All(logs, log => Assert.Equal(24, log[^1].Step - log[0].Step));
        // Each prolonged run passes through its study run: same data, start and optimiser.
        for (var i = 0; i < 2; i++)
        {
            var first8 = EfficiencyStudy.Prolong(Table, checkpoints, [picked[i]], 0.08, optimiser, store, Tiny)[0];
            Assert.Equal(8, first8[^1].Step - first8[0].Step);
            Assert.Equal(picked[i].ParameterNorm, first8[^1].ParameterNorm, 1e-4);
        }
        // A row every half time scale (at lr·wd = 0.005, 100 steps), also past the first checkpoint (1000 steps).
        var rows = EfficiencyStudy.Prolong(Table, checkpoints, [picked[0] with { WeightDecay = 0.5 }], 6, optimiser,
            store, Tiny)[0];
        Assert.Equal(Enumerable.Range(0, 13).Select(k => 100 * k), rows.Select(r => r.Step - rows[0].Step));
        // Saved: asked again, the logs are read back, not retrained.
        var saved = Directory.GetFiles(Folder, "efficiency-prolonged-*.checkpoint").Order().ToList();
        var stamps = saved.Select(File.GetLastWriteTimeUtc).ToList();
        Assert.Equal(logs.Select(l => l.Select(m => m.ParameterNorm)),
            EfficiencyStudy.Prolong(Table, checkpoints, picked, 0.24, optimiser, store, Tiny)
                .Select(l => l.Select(m => m.ParameterNorm)));
        Assert.Equal(stamps, saved.Select(File.GetLastWriteTimeUtc));
        Assert.Throws<ArgumentException>(() => EfficiencyStudy.Prolong(Table, checkpoints.Take(1).ToList(),
            [picked[1] with { Seed = 1 }], 0.24, optimiser, store, Tiny));
    }

    [Fact]
    public void A_prolonged_run_is_read_over_its_second_half_and_says_where_its_norm_passed_the_settling_test()
    {
        // lr·wd = 0.01: a time scale is 100 steps, measured every 50. The norm rises 10 per time scale to 40 at 3,
        // then stays; the logit falls from 50 to 35 by the end; test accuracy dips to 0.8 at 5 time scales only.
        var log = Enumerable.Range(0, 13).Select(k =>
        {
            var t = k / 2.0;
            return new StepMetrics(1000 + 50 * k, 0, t == 4 ? 0.99 : 1, 0, t == 5 ? 0.8 : 1, Math.Min(40, 10 + 10 * t),
                50 - 2.5 * t,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }).ToList();
        var run = Run(Efficiency.Generalising, 1000, 1.0, 0, logit: 35);
        var summary = EfficiencyStudy.Summarise(run, log, learningRate: 0.01, fromTimeScales: 1);
        Assert.Equal(6, summary.TimeScales, 1e-12);
        Assert.Equal((40, 40), (summary.NormLow, summary.NormHigh));
        Assert.Equal((35, 42.5), (summary.LogitLow, summary.LogitHigh));
        Assert.Equal(0.8, summary.MinTestAccuracy);
        Assert.Equal(0.99, summary.MinTrainAccuracy);
        Assert.Equal((40, 38.75), (summary.NormMean, summary.LogitMean)); // logit over 3..6: 42.5 down to 35
        // At 3.5 the norm is 12.5% above its value a time scale before; from 4 on it has not moved.
        Assert.Equal([4, 4.5, 5, 5.5, 6], summary.PassedSettlingAt);
        Assert.Empty(EfficiencyStudy.Summarise(run, log, 0.01, fromTimeScales: 6.5).PassedSettlingAt);

        // The second half split in two: [3, 4.5) holds the train-accuracy dip, [4.5, 6] the test-accuracy dip; their
        // logit means (41.25 and 36.875) weigh 3 and 4 measurements into the whole half's 38.75.
        var early = EfficiencyStudy.Summarise(run, log, 0.01, 1, window: (0.5, 0.75));
        var late = EfficiencyStudy.Summarise(run, log, 0.01, 1, window: (0.75, 1));
        Assert.Equal((41.25, 0.99, 1.0), (early.LogitMean, early.MinTrainAccuracy, early.MinTestAccuracy));
        Assert.Equal((36.875, 1.0, 0.8), (late.LogitMean, late.MinTrainAccuracy, late.MinTestAccuracy));
        Assert.Equal((40, 40), (early.NormMean, late.NormMean));
        var start = EfficiencyStudy.Summarise(run, log, 0.01, 1, window: (0, 0.1));   // t = 0 and 0.5
        Assert.Equal((10, 15), (start.NormLow, start.NormHigh));
        Assert.Throws<ArgumentOutOfRangeException>(() => EfficiencyStudy.Summarise(run, log, 0.01, 1, (0.75, 0.5)));
        Assert.Throws<ArgumentException>(() => EfficiencyStudy.Summarise(run, log, 0.01, 1, (0.01, 0.05)));
    }

    [Fact]
    public void Time_averaging_replaces_only_the_traced_runs_norm_and_logit_and_moves_d_crit_with_them()
    {
        var study = Synthetic();
        var before = EfficiencyStudy.CriticalSize(study, [1.0], 10_000, EfficiencyStudy.ByLogit);
        // The generalising runs at wd 1, traced: their logit averages 1 lower than the snapshot read, so memorising
        // stays the better deal up to a larger D.
        var traced = study.Where(r => r.Kind == Efficiency.Generalising && r.WeightDecay == 1.0)
            .Select(r => new ProlongedRun(r, 60, 0, 0, 0, 0, 1, [], NormMean: r.ParameterNorm + 1,
                LogitMean: r.CorrectLogit - 1, MinTrainAccuracy: 1)).ToList();
        var averaged = EfficiencyStudy.TimeAveraged(study, traced);
        Assert.Equal(study.Count, averaged.Count);
        for (var i = 0; i < study.Count; i++)
        {
            var t = traced.SingleOrDefault(x => x.Run == study[i]);
            Assert.Equal(t?.NormMean ?? study[i].ParameterNorm, averaged[i].ParameterNorm);
            Assert.Equal(t?.LogitMean ?? study[i].CorrectLogit, averaged[i].CorrectLogit);
            Assert.Equal((study[i].Kind, study[i].TrainSize, study[i].Seed, study[i].Settled),
                (averaged[i].Kind, averaged[i].TrainSize, averaged[i].Seed, averaged[i].Settled));
        }
        var after = EfficiencyStudy.CriticalSize(averaged, [1.0], 10_000, EfficiencyStudy.ByLogit);
        Assert.True(after.CriticalSize > before.CriticalSize, $"{before.CriticalSize} -> {after.CriticalSize}");
        Assert.Equal(before, EfficiencyStudy.CriticalSize(EfficiencyStudy.TimeAveraged(study, []), [1.0], 10_000,
            EfficiencyStudy.ByLogit));
        Assert.Throws<ArgumentException>(() => EfficiencyStudy.TimeAveraged(study, [traced[0], traced[0]]));
        Assert.Throws<ArgumentException>(() => EfficiencyStudy.TimeAveraged(
            study.Where(r => r != traced[0].Run).ToList(), [traced[0]]));
    }
}
