using ScienceOfDL.Grokking;
using ScienceOfDL.Results;
using static TorchSharp.torch;

namespace ScienceOfDL.Tests;

public class GrokkingUngrokkingTests : TinyGrokking // Table, Data, Tiny, Folder
{
    [Fact]
    public void Geometric_sizes_span_the_range_with_a_constant_ratio()
    {
        var sizes = Ungrokking.GeometricSizes(390, 1494, 7);
        Assert.Equal(7, sizes.Length);
        Assert.Equal(390, sizes[0]);
        Assert.Equal(1494, sizes[^1]);
        var ratios = sizes.Zip(sizes.Skip(1), (a, b) => (double)b / a).ToArray();
        Assert.All(ratios, r => Assert.InRange(r, 1.24, 1.26)); // (1494/390)^(1/6) ≈ 1.251
    }

    [Fact]
    public void Ungrokking_runs_every_network_weight_decay_size_and_order_until_settled_and_is_read_back()
    {
        var store = new ResultsStore(Folder);
        var checkpoints = new[] { 0, 1 }
            .Select(seed =>
            {
                using var state = TrainingState.Create(Tiny, seed);
                Trainer.Train(state, Data, new TrainConfig(Steps: 4, LearningRate: 1e-2), store, $"net{seed}");
                return state.Checkpoint!;
            })
            .ToList();
        var config = new TrainConfig(Steps: 1, LearningRate: 1e-2);
        // lr·wd = 0.01 or 0.02: at least 0.06 time scales (6 or 3 steps), at most 0.1.
        var rule = new Settling(MinTimeScales: 0.06, MaxTimeScales: 0.1, WindowTimeScales: 0.05);
        var runs = Ungrokking.Run(checkpoints, Data, [50, 100], [1.0, 2.0], [0, 1], rule, config, store);
        Assert.Equal(2 * 2 * 2 * 2, runs.Count);
        Assert.All(runs, r => Assert.InRange(r.TimeScales, 0.06 - 1e-9, 0.1 + 1e-9));
        Assert.All(runs, r => Assert.True(r.Settled || Math.Abs(r.TimeScales - 0.1) < 1e-9, $"{r}"));
        Assert.Equal([0, 1], runs.Select(r => r.Network).Distinct().Order());
        // The two networks differ, so their runs do.
        Assert.NotEqual(runs.First(r => r.Network == 0).TrainLoss, runs.First(r => r.Network == 1).TrainLoss);
        Assert.Equal(runs, Ungrokking.Run(checkpoints, Data, [50, 100], [1.0, 2.0], [0, 1], rule, config, store));
        var saved = Ungrokking.Saved(store, Table.P).Single();
        Assert.Equal((1e-2, runs.Count), (saved.Settings.Optimiser.LearningRate, saved.Runs.Count));
        // Bad input is refused before anything trains, naming what is wrong.
        Assert.Contains(
            "not -1",
            Assert
                .Throws<ArgumentOutOfRangeException>(() =>
                    Ungrokking.Run(checkpoints, Data, [50], [-1.0], [0], rule, config, store)
                )
                .Message
        );
        Assert.Contains(
            "not 0",
            Assert
                .Throws<ArgumentOutOfRangeException>(() =>
                    Ungrokking.Run(checkpoints, Data, [0], [1.0], [0], rule, config, store)
                )
                .Message
        );
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Ungrokking.Run(checkpoints, Data, [50], [1.0], [0], rule with { MinTimeScales = -2 }, config, store)
        );
    }

    [Fact]
    public void The_ungrokking_crossing_lies_between_the_sizes_where_accuracy_falls_through_one_half()
    {
        UngrokkingRun Run(int size, int network, double accuracy) =>
            new(29, size, 1.0, 0, network, 10, true, 0.01, 1, 0, 1, 0, accuracy, 10);
        var runs = new[] { 0, 1, 2 }
            .SelectMany(n => new[] { Run(100, n, 0.05 + 0.01 * n), Run(200, n, 0.3 + 0.1 * n), Run(400, n, 0.95) })
            .ToList();
        var (crossing, interval) = Ungrokking.Crossing(runs);
        Assert.InRange(crossing!.Value, 200, 400);
        Assert.NotNull(interval);
        Assert.True(interval.Lower <= crossing && crossing <= interval.Upper && interval.Width > 0, $"{interval}");
        Assert.Null(Ungrokking.Crossing(runs.Where(r => r.SubsetSize < 400).ToList()).Crossing);
    }

    [Fact]
    public void Subsets_are_nested_inside_each_other_and_the_training_set_and_keep_the_test_set()
    {
        var split = Split.ByFraction(OperationTable.Create(113), 0.3, seed: 0);
        foreach (var seed in new[] { 0, 1, 2 })
        {
            var subsets = Ungrokking.NestedSubsets(split, [390, 1494, 763], seed);
            Assert.Equal([1494, 763, 390], subsets.Select(s => s.TrainSize));
            var training = split.Train.ToHashSet();
            for (var i = 0; i < subsets.Count; i++)
            {
                Assert.Equal(subsets[i].TrainSize, subsets[i].Train.Distinct().Count());
                Assert.True(
                    subsets[i].Train.All(training.Contains),
                    "a subset may only remove examples, never add new ones"
                );
                Assert.Equal(split.Test, subsets[i].Test);
                if (i > 0)
                    Assert.True(
                        subsets[i].Train.All(subsets[i - 1].Train.Contains),
                        "smaller subsets lie inside larger ones"
                    );
            }
        }
        Assert.Equal(split.Nested(390).Train, Ungrokking.NestedSubsets(split, [390], 0)[0].Train);
        Assert.NotEqual(
            Ungrokking.NestedSubsets(split, [390], 1)[0].Train,
            Ungrokking.NestedSubsets(split, [390], 2)[0].Train
        );
        Assert.Throws<ArgumentOutOfRangeException>(() => Ungrokking.NestedSubsets(split, [split.TrainSize + 1], 0));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(12)]
    [InlineData(113)]
    public void The_Fourier_basis_is_orthonormal(int p)
    {
        using var basis = Fourier.Basis(p).to(ScalarType.Float64);
        using var gram = basis.matmul(basis.t());
        using var identity = eye(p, dtype: ScalarType.Float64);
        Assert.True((gram - identity).abs().max().item<double>() < 1e-5);
        // Row 1 is the cosine of frequency 1, row 2 its sine.
        Assert.Equal(Math.Sqrt(2.0 / p), basis[1, 0].item<double>(), 5);
        Assert.Equal(Math.Sqrt(2.0 / p) * Math.Sin(2 * Math.PI / p), basis[2, 1].item<double>(), 5);
    }

    [Fact]
    public void Spectrum_and_Gini_find_the_frequencies_a_matrix_is_made_of()
    {
        const int p = 31;
        var rows = new float[p * 4];
        for (var x = 0; x < p; x++)
        {
            rows[4 * x] = (float)Math.Cos(2 * Math.PI * 5 * x / p);
            rows[4 * x + 1] = (float)(2 * Math.Sin(2 * Math.PI * 5 * x / p));
            rows[4 * x + 2] = (float)(3 * Math.Cos(2 * Math.PI * 11 * x / p + 0.3));
        }
        using var m = tensor(rows, new long[] { p, 4 });
        var spectrum = Fourier.Spectrum(m);
        Assert.Equal(16, spectrum.Length);
        Assert.Equal(Math.Sqrt(5 * p / 2.0), spectrum[5], 3); // ‖cos‖² + ‖2 sin‖² = p/2 + 4p/2
        Assert.Equal(Math.Sqrt(9 * p / 2.0), spectrum[11], 3);
        Assert.Equal([11, 5], Fourier.KeyFrequencies(spectrum));
        Assert.True(spectrum.Where((_, k) => k != 5 && k != 11).All(v => v < 1e-3));
        Assert.Equal(0, Fourier.Gini([1, 1, 1, 1]), 9);
        Assert.Equal(0.75, Fourier.Gini([0, 0, 0, 1]), 9); // n = 4: (n − 1)/n
        Assert.True(Fourier.Gini(spectrum.Skip(1)) > 0.8);
    }

    [Fact]
    public void Restricted_and_excluded_loss_on_a_network_whose_logits_are_exactly_trigonometric()
    {
        const int p = 13;
        var table = OperationTable.Create(p);
        var split = Split.ByFraction(table, 0.5, seed: 0);
        double W(int k, int a, int b, int c) => 2 * Math.PI * k * (a + b - c) / p;
        // Frequencies 2 and 5, plus a constant per input (which changes no prediction and is not trigonometric in c).
        double LogitOf(int a, int b, int c) =>
            4 * Math.Cos(W(2, a, b, c)) + 3 * Math.Cos(W(5, a, b, c)) + Math.Sin(W(5, a, b, c)) + 0.1 * (a * b % 5);
        using var model = PairLookupNetwork(p, LogitOf);

        var all = Enumerable.Range(0, table.Count).ToArray();
        using (no_grad())
        using (var logits = model.Forward(table.Tokens(all)))
            for (var r = 0; r < table.Count; r += 7)
            for (var c = 0; c < p; c += 4)
                Assert.Equal(LogitOf(table.A[r], table.B[r], c), logits[r, c].item<float>(), 4);

        var analysis = Fourier.Analyse(model, split);
        Assert.Equal([2, 5], analysis.KeyFrequencies.OrderBy(k => k));
        Assert.Equal(1.0, analysis.TrigShare, 4);
        var unit = Math.Sqrt(p * p * p / 2.0); // norm of cos(w_k(a+b−c)) over the p³ grid
        Assert.Equal(4 * unit, analysis.LogitSpectrum[2], 1);
        Assert.Equal(Math.Sqrt(10) * unit, analysis.LogitSpectrum[5], 1);
        Assert.True(analysis.LogitSpectrum.Where((_, k) => k != 2 && k != 5).All(v => v < 1e-2 * unit));
        // Keeping only the key frequencies changes nothing; removing them leaves a constant per input (uniform
        // prediction).
        Assert.Equal(analysis.TrainLoss, analysis.RestrictedLoss, 4);
        Assert.Equal(Math.Log(p), analysis.ExcludedLoss, 4);
        // With frequency 2 alone as "key": removing it leaves frequency 5, still peaked at the answer; keeping only it
        // loses 5.
        var onlyTwo = Fourier.Analyse(model, split, [2]);
        Assert.InRange(onlyTwo.ExcludedLoss, analysis.TrainLoss + 0.01, Math.Log(p) - 0.01);
        Assert.InRange(onlyTwo.RestrictedLoss, analysis.TrainLoss + 0.01, Math.Log(p) - 0.01);
    }

    /// <summary>Weights that turn the transformer into a lookup table of logits for each unordered pair {a, b} (enough
    /// for addition). Attention is uniform (W_Q = W_K = 0), so the residual at "=" holds (onehot(a) + onehot(b))/3 in
    /// channels 0..p−1. ReLU neuron N_ab (a &lt; b) computes ReLU(3r_a + 3r_b − 1): 1 for input {a, b}, 0 for {a, c},
    /// but also 1 for {a, a}; neuron D_x = ReLU(3r_x − 1) fires only for {x, x} and cancels those. W_out writes each
    /// neuron's logit row into channels p..2p−1, the only ones W_U reads.</summary>
    static Transformer PairLookupNetwork(int p, Func<int, int, int, double> logitOf)
    {
        var pairs = p * (p - 1) / 2;
        var config = new TransformerConfig(p + 1, p, DModel: 2 * p, Heads: 1, DHead: p, DMlp: pairs + p);
        var model = new Transformer(config, seed: 0);
        using var _ = no_grad();
        foreach (var (_, t) in model.Parameters)
            t.zero_();
        for (var x = 0; x < p; x++)
        {
            model.W_E[x, x] = 1;
            model.W_V[x, x] = 1;
            model.W_O[x, x] = 1;
            model.W_U[p + x, x] = 1;
        }
        var n = 0;
        for (var a = 0; a < p; a++)
        for (var b = a + 1; b < p; b++, n++)
        {
            model.W_in[a, n] = 3;
            model.W_in[b, n] = 3;
            model.b_in[n] = -1;
            for (var c = 0; c < p; c++)
                model.W_out[n, p + c] = (float)logitOf(a, b, c);
        }
        for (var x = 0; x < p; x++, n++)
        {
            model.W_in[x, n] = 3;
            model.b_in[n] = -1;
            for (var c = 0; c < p; c++)
                model.W_out[n, p + c] = (float)(
                    logitOf(x, x, c) - Enumerable.Range(0, p).Where(b => b != x).Sum(b => logitOf(x, b, c))
                );
        }
        return model;
    }

    [Fact]
    public void A_grokked_tiny_network_ungroks_on_a_small_subset_but_not_on_a_large_one()
    {
        var store = new ResultsStore(Folder);
        using (var state = TrainingState.Create(Tiny, seed: 0))
        {
            Trainer.Train(state, Data, new TrainConfig(Steps: 1200, LearningRate: 1e-2, EvalEvery: 1200));
            state.Save(Path.Combine(Folder, "grokked.checkpoint"), "tiny", 0);
        }
        var grokked = Path.Combine(Folder, "grokked.checkpoint");
        var rule = new Settling(MinTimeScales: 8, MaxTimeScales: 8, WindowTimeScales: 5); // 800 steps
        var runs = Ungrokking.Run(
            [grokked],
            Data,
            [60, Data.TrainSize],
            [1.0],
            [0],
            rule,
            new TrainConfig(Steps: 1, LearningRate: 1e-2),
            store
        );
        var small = runs.Single(r => r.SubsetSize == 60);
        var full = runs.Single(r => r.SubsetSize == Data.TrainSize);
        Assert.True(small.StartTestAccuracy >= 0.9, $"start test accuracy {small.StartTestAccuracy}");
        Assert.True(small.TrainAccuracy >= 0.99, $"train accuracy on the subset {small.TrainAccuracy}");
        Assert.True(small.TestAccuracy <= 0.3, $"test accuracy after training on 60 examples {small.TestAccuracy}");
        Assert.True(
            full.TestAccuracy >= 0.9,
            $"test accuracy after training on all {Data.TrainSize} {full.TestAccuracy}"
        );
    }

    [Fact]
    public void Semi_grokking_is_test_accuracy_held_within_a_fifth_and_four_fifths_for_five_time_scales()
    {
        static StepMetrics M(int step, double test) =>
            new(step, 0, step == 0 ? 0 : 1, 0, test, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        // lr·wd = 0.01: a time scale is 100 steps; each run is 10 time scales, measured every time scale.
        var config = new TrainConfig(Steps: 1000, LearningRate: 0.01, WeightDecay: 1);
        SemiGrokkingOutcome Of(Func<int, double> test) =>
            SemiGrokking.Classify(Enumerable.Range(0, 11).Select(i => M(100 * i, test(i))).ToList(), config);
        Assert.Equal(SemiGrokkingOutcome.SemiGrokked, Of(i => i < 4 ? 0.05 : 0.6)); // 6 time scales there
        Assert.Equal(
            SemiGrokkingOutcome.SemiGrokked,
            Of(i =>
                i < 3 ? 0.05
                : i < 9 ? 0.5
                : 1
            )
        ); // 5, then grokked
        Assert.Equal(SemiGrokkingOutcome.StillMoving, Of(i => i < 7 ? 0.05 : 0.6)); // only 3 there
        Assert.Equal(SemiGrokkingOutcome.SemiGrokked, Of(i => 0.05 + 0.06 * i)); // a slow climb, 7 there, counts
        Assert.Equal(SemiGrokkingOutcome.Grokked, Of(i => i < 6 ? 0.05 : 1.0));
        Assert.Equal(SemiGrokkingOutcome.Memorised, Of(_ => 0.05));
        // A search needs steps and a positive weight decay: a zero-step run is not "memorised".
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            SemiGrokking.Ensemble(Table, [100], [0], config with { Steps = 0 }, new ResultsStore(Folder), Tiny)
        );
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            SemiGrokking.Ensemble(Table, [100], [0], config with { WeightDecay = -1 }, new ResultsStore(Folder), Tiny)
        );
    }

    [Fact]
    public void A_circuit_trace_snapshots_the_start_and_every_interval_with_the_trainers_own_metrics()
    {
        var config = new TrainConfig(Steps: 25, LearningRate: 1e-2);
        using var traced = TrainingState.Create(Tiny, seed: 0);
        var trace = CircuitTrace.Train(traced, Data, config, every: 10);
        Assert.Equal([0, 10, 20, 25], trace.Select(c => c.Step));

        // The same run trained plainly, measured at the same steps, gives the same numbers (tracing changes no update).
        using var plain = TrainingState.Create(Tiny, seed: 0);
        var log = Trainer.Train(plain, Data, config with { EvalEvery = 5 });
        foreach (var point in trace)
        {
            var m = log.Single(m => m.Step == point.Step);
            Assert.Equal(
                (m.TrainLoss, m.TestAccuracy, m.ParameterNorm),
                (point.TrainLoss, point.TestAccuracy, point.ParameterNorm)
            );
        }
        // The Fourier columns are of each snapshot, not of the final network: the start differs from the end.
        Assert.NotEqual(trace[0].TrigShare, trace[^1].TrigShare);
        Assert.Throws<ArgumentOutOfRangeException>(() => CircuitTrace.Train(traced, Data, config, every: 0));
    }
}
