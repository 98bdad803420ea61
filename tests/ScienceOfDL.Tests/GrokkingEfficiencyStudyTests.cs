using ScienceOfDL.Grokking;
using ScienceOfDL.Results;
using ScienceOfDL.Statistics;

namespace ScienceOfDL.Tests;

public class GrokkingEfficiencyStudyTests : TinyGrokking // Table, Data, Tiny, Folder
{
    static EfficiencyRun Run(
        CircuitKind kind,
        int d,
        double wd,
        int seed,
        double norm,
        double logit,
        double trainAcc = 1,
        double trig = 0.97
    ) =>
        new(
            kind,
            d,
            wd,
            seed,
            12,
            true,
            0.01,
            norm,
            logit,
            1e-9,
            trainAcc,
            1,
            kind == CircuitKind.Memorising ? 0.1 : trig
        );

    // Norm = k(D)·logit^0.5 along every curve (weight decays 1, 2, 4, 8 place runs at logits 40, 35, 30, 25), with
    // k = 4·(D/300)^0.3 for memorising networks and 4 for generalising ones at every D: the memorising network needs
    // as much norm as the generalising one at D = 300, at every logit. Seed noise ±1%.
    static List<EfficiencyRun> Synthetic() =>
        [
            .. from wd in new[] { 1.0, 2.0, 4.0, 8.0 }
            from seed in new[] { 0, 1, 2 }
            from d in new[] { 60, 120, 240, 480, 960 }
            let logit = 40 - 5 * Math.Log2(wd)
            select Run(
                CircuitKind.Memorising,
                d,
                wd,
                seed,
                4 * Math.Pow(d / 300.0, 0.3) * Math.Sqrt(logit) * (1 + 0.01 * (seed - 1)),
                logit + 0.2 * seed
            ),
            .. from wd in new[] { 1.0, 2.0, 4.0, 8.0 }
            from seed in new[] { 0, 1, 2 }
            from d in new[] { 1000, 2000 }
            let logit = 40 - 5 * Math.Log2(wd)
            select Run(
                CircuitKind.Generalising,
                d,
                wd,
                seed,
                4 * Math.Sqrt(logit) * (1 + 0.01 * (seed - 1)),
                logit - 0.2 * seed
            ),
        ];

    [Fact]
    public void Each_curve_is_a_power_law_of_norm_against_logit_read_at_levels_every_curve_reaches()
    {
        var curves = EfficiencyCurves.Fit(Synthetic());
        Assert.Equal(7, curves.Count);
        Assert.All(curves, c => Assert.Equal(12, c.Runs));
        Assert.All(curves, c => Assert.InRange(c.Slope, 0.45, 0.55));
        var gen = curves.First(c => c.Kind == CircuitKind.Generalising);
        Assert.Equal(4 * Math.Sqrt(30), gen.NormAt(30), 0.2);
        // Every curve spans logits 25..40 (generalising 24.6..40): the common range and the levels inside it.
        var (low, high) = EfficiencyCurves.CommonLogits(curves)!.Value;
        Assert.Equal((25, 40.0), (low, high), new ToleranceComparer(0.5));
        Assert.Equal([28.8, 32.5, 36.3], EfficiencyCurves.Levels(curves, 3).Select(l => Math.Round(l, 1)));
        Assert.All(EfficiencyCurves.Levels(curves), l => Assert.All(curves, c => Assert.True(c.Reaches(l))));
        // A curve of one logit has no slope: it is left out, not fitted.
        Assert.Empty(
            EfficiencyCurves.Fit([
                Run(CircuitKind.Memorising, 60, 1, 0, 10, 30),
                Run(CircuitKind.Memorising, 60, 2, 1, 11, 30),
            ])
        );
    }

    [Fact]
    public void An_eps_sweep_is_summarised_per_eps_and_kind_over_usable_runs_only()
    {
        static EfficiencyRun R(CircuitKind kind, double logit, double norm, double trainAccuracy = 1) =>
            new(
                kind,
                100,
                4,
                0,
                10,
                true,
                0.01,
                norm,
                logit,
                1e-7,
                trainAccuracy,
                1,
                kind == CircuitKind.Generalising ? 0.99 : 0
            );
        var sweep = new List<(double, List<EfficiencyRun>)>
        {
            (
                1e-8,
                [
                    R(CircuitKind.Memorising, 40, 20),
                    R(CircuitKind.Memorising, 44, 22),
                    R(CircuitKind.Memorising, 10, 90, trainAccuracy: 0.5),
                    R(CircuitKind.Generalising, 45, 24),
                ]
            ),
            (1e-4, [R(CircuitKind.Generalising, 19, 21)]),
        };
        Assert.Equal(
            [
                new MeansAtEps(1e-8, CircuitKind.Memorising, 2, 42, 21),
                new MeansAtEps(1e-8, CircuitKind.Generalising, 1, 45, 24),
                new MeansAtEps(1e-4, CircuitKind.Generalising, 1, 19, 21),
            ],
            EfficiencyCurves.MeansByEps(sweep)
        );
    }

    [Fact]
    public void The_curve_shape_says_whether_memorising_rises_and_generalising_stays_flat_at_a_logit()
    {
        static NormAtLogit N(CircuitKind kind, int d, double norm, double logit = 30) =>
            new(kind, d, logit, new Interval(norm, norm, norm), true);
        var norms = new[]
        {
            N(CircuitKind.Memorising, 60, 15),
            N(CircuitKind.Memorising, 700, 31),
            N(CircuitKind.Generalising, 500, 23.0),
            N(CircuitKind.Generalising, 1400, 23.5),
            N(CircuitKind.Memorising, 700, 10, logit: 40),
            N(CircuitKind.Memorising, 60, 15, logit: 40),
            N(CircuitKind.Generalising, 500, 20, logit: 40),
            N(CircuitKind.Generalising, 1400, 30, logit: 40),
        };
        Assert.Equal(new CurveShape(30, true, true), EfficiencyCurves.Shape(norms, 30));
        Assert.Equal(new CurveShape(40, false, false), EfficiencyCurves.Shape(norms, 40));
    }

    [Fact]
    public void D_crit_is_where_the_memorising_norm_for_a_logit_reaches_the_generalising_one()
    {
        var levels = new[] { 28.0, 35.0 };
        var estimates = EfficiencyCurves.CriticalSizes(Synthetic(), levels, tableSize: 3000);
        Assert.Equal(levels, estimates.Select(e => e.Logit));
        foreach (var e in estimates)
        {
            Assert.Equal(CrossingSide.Between, e.Side);
            Assert.InRange(e.CriticalSize!.Value, 270, 330);
            Assert.NotNull(e.Interval);
            Assert.True(e.Interval.Contains(e.CriticalSize.Value) && e.Interval.Width > 0, $"{e.Interval}");
            Assert.Equal(e.CriticalSize / 3000, e.ShareOfTable);
        }
        // Norms per curve and level, with intervals; the generalising curves coincide across D.
        var norms = EfficiencyCurves.Norms(Synthetic(), levels);
        Assert.Equal(7 * 2, norms.Count);
        var gen = norms.Where(n => n.Kind == CircuitKind.Generalising && n.Logit == 35).ToList();
        Assert.True(gen[0].Norm.Contains(gen[1].Norm.Value) && gen[1].Norm.Contains(gen[0].Norm.Value));
        Assert.All(norms, n => Assert.True(n.WithinCurve));
        Assert.False(EfficiencyCurves.Norms(Synthetic(), [60.0]).First().WithinCurve);

        // Memorising networks that need less norm at every D: D_crit above the sizes; more at every D: below.
        var cheap = Synthetic()
            .Select(r => r.Kind == CircuitKind.Memorising ? r with { ParameterNorm = r.ParameterNorm / 10 } : r)
            .ToList();
        var above = EfficiencyCurves.CriticalSizes(cheap, [30.0], 3000).Single();
        Assert.Equal(
            (CrossingSide.AboveLargest, (double?)null, "above 960"),
            (above.Side, above.CriticalSize, above.Reading)
        );
        var dear = Synthetic()
            .Select(r => r.Kind == CircuitKind.Memorising ? r with { ParameterNorm = r.ParameterNorm * 10 } : r)
            .ToList();
        Assert.Equal("below 60", EfficiencyCurves.CriticalSizes(dear, [30.0], 3000).Single().Reading);
    }

    [Fact]
    public void Networks_that_did_not_memorise_or_are_not_trigonometric_stay_out_of_the_curves()
    {
        var runs = Synthetic();
        var clean = EfficiencyCurves.CriticalSizes(runs, [30.0], 3000).Single().CriticalSize;
        // A generalising network that is not trigonometric enough (0.94 < 0.95, the paper's threshold), and
        // memorising networks that did not memorise, each far off its curve.
        runs.Add(Run(CircuitKind.Generalising, 1000, 1.0, 3, norm: 500, logit: 30, trig: 0.94));
        runs.AddRange(new[] { 3, 4, 5 }.Select(s => Run(CircuitKind.Memorising, 960, 2.0, s, 1, 30, trainAcc: 0.6)));
        Assert.Equal(clean, EfficiencyCurves.CriticalSizes(runs, [30.0], 3000).Single().CriticalSize);
        Assert.Equal(12, EfficiencyCurves.Fit(runs).First(c => c.Kind == CircuitKind.Generalising).Runs);
    }

    [Fact]
    public void Settling_asks_the_norm_to_move_at_most_two_percent_over_the_last_five_time_scales()
    {
        var rule = new Settling(MinTimeScales: 6, MaxTimeScales: 12);
        // A time scale of 10 steps, measured every 5: the norm falls 1% per time scale, then (a) stays or (b) cycles.
        static StepMetrics M(int step, double norm) => new(step, 0, 1, 0, 1, norm, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        var falling = Enumerable.Range(0, 13).Select(k => M(5 * k, 100 - 0.5 * k)).ToList();
        Assert.Equal(5.0 / 94, rule.Swing(falling, 10), 1e-12); // 99 → 94 over the last 50 steps
        Assert.False(rule.Holds(falling, 10));
        var flat = falling.Select(m => m with { ParameterNorm = 50 + 0.1 * (m.Step % 10) }).ToList();
        Assert.True(rule.Holds(flat, 10));
        // Cycling: equal at the window's two ends, 10% apart inside it.
        var cycling = Enumerable.Range(0, 13).Select(k => M(5 * k, 50 + (k % 4 == 2 ? 5 : 0))).ToList();
        Assert.False(rule.Holds(cycling, 10));
        Assert.False(rule.Holds(flat.Take(3).ToList(), 10)); // shorter than the window
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new Settling(MinTimeScales: 4, WindowTimeScales: 5).Validate()
        );
        Assert.Throws<ArgumentOutOfRangeException>(() => new Settling(MinTimeScales: 10, MaxTimeScales: 5).Validate());
    }

    // Two networks trained 3 steps (far from grokked: the study only needs checkpoints) and the store they are in.
    (ResultsStore Store, List<string> Checkpoints) TwoGrokkedNetworks()
    {
        var store = new ResultsStore(Folder);
        var grokked = EfficiencyStudy.GrokkedNetworks(Data, 2, new TrainConfig(Steps: 3, LearningRate: 1e-2), store);
        var checkpoints = grokked.Select(g => g.Checkpoint!).ToList();
        foreach (var g in grokked)
            g.Dispose();
        return (store, checkpoints);
    }

    [Fact]
    public void The_study_trains_every_kind_size_weight_decay_and_seed_until_settled_or_capped_and_reads_them_back()
    {
        var (store, checkpoints) = TwoGrokkedNetworks();
        var optimiser = new TrainConfig(Steps: 1, LearningRate: 1e-2);
        // At lr·wd = 0.01 a time scale is 100 steps: at least 0.06 (6 steps), then 1 more step at a time up to 0.12.
        var rule = new Settling(MinTimeScales: 0.06, MaxTimeScales: 0.12, WindowTimeScales: 0.05);
        List<EfficiencyRun> Study() =>
            EfficiencyStudy.Run(Table, checkpoints, [20, 40], [300, 500], [1.0, 2.0], rule, optimiser, store, Tiny);
        var runs = Study();
        Assert.Equal(2 * 2 * 2 * 2, runs.Count);
        Assert.All(runs, r => Assert.True(r.Settled || Math.Abs(r.TimeScales - 0.12) < 1e-9, $"{r}"));
        Assert.All(runs, r => Assert.InRange(r.TimeScales, 0.06 - 1e-9, 0.12 + 1e-9));
        Assert.All(runs, r => Assert.Equal(r.Settled, r.NormSwing <= 0.02));
        Assert.All(runs, r => Assert.InRange(r.TrigShare, 0, 1));
        Assert.All(runs.Where(r => r.Kind == CircuitKind.Memorising), r => Assert.True(double.IsNaN(r.TestAccuracy)));
        Assert.Equal([0, 1], runs.Select(r => r.Seed).Distinct().Order());
        Assert.NotEqual(runs.First(r => r.Seed == 0).ParameterNorm, runs.First(r => r.Seed == 1).ParameterNorm);
        // Read back, not retrained; the CSV has the columns the paper's plot needs.
        Assert.Equal(runs.Select(r => r with { TestAccuracy = 0 }), Study().Select(r => r with { TestAccuracy = 0 }));
        var csv = Directory.GetFiles(Folder, "efficiency-study-*.csv").Single();
        var header = File.ReadLines(csv).First().Split(',');
        Assert.Subset(
            header.ToHashSet(),
            new[]
            {
                "Kind",
                "TrainSize",
                "WeightDecay",
                "Seed",
                "ParameterNorm",
                "CorrectLogit",
                "TrainLoss",
            }.ToHashSet()
        );
        Assert.Contains("Memorising", File.ReadAllText(csv));
        // Notebook 05 pools every study saved at one learning rate (04's ε sweep beside its weight-decay sweep); a run
        // two studies share counts once, and another learning rate's studies stay out.
        var byEps = EfficiencyStudy.Run(
            Table,
            checkpoints,
            [20, 40],
            [300, 500],
            [1.0],
            rule,
            optimiser with
            {
                Eps = 1e-4,
            },
            store,
            Tiny
        );
        Assert.Equal(
            6,
            EfficiencyStudy.Run(Table, checkpoints, [20, 40], [300], [1.0], rule, optimiser, store, Tiny).Count
        );
        Assert.Equal(runs.Count + byEps.Count, EfficiencyStudy.SavedRuns(store, Table.P, 1e-2).Count);
        Assert.Empty(EfficiencyStudy.SavedRuns(store, Table.P, 1e-3));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            EfficiencyStudy.Run(Table, checkpoints, [20], [900], [1.0], rule, optimiser, store, Tiny)
        );
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            EfficiencyStudy.Run(Table, checkpoints, [20], [300], [-1.0], rule, optimiser, store, Tiny)
        );
    }

    sealed class ToleranceComparer(double tolerance) : IEqualityComparer<(double, double)>
    {
        public bool Equals((double, double) a, (double, double) b) =>
            Math.Abs(a.Item1 - b.Item1) <= tolerance && Math.Abs(a.Item2 - b.Item2) <= tolerance;

        public int GetHashCode((double, double) obj) => 0;
    }
}
