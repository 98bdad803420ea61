using ScienceOfDL.Ccs.Analysis;
using ScienceOfDL.Ccs.Data;
using ScienceOfDL.Ccs.Probing;
using static TorchSharp.torch;

namespace ScienceOfDL.Tests;

public class CcsProbeTests
{
    /// <summary>Planted pairs split 60/40, each split normalised on its own.</summary>
    internal static (HiddenPairs Train, HiddenPairs Test, PlantedPairs Planted) Planted(PlantedOptions? options = null)
    {
        var planted = PlantedData.Generate(options ?? new PlantedOptions());
        var (train, test) = Metrics.TrainTestSplit(planted.Pairs.Count, seed: 1);
        return (
            Normalization.Burns(planted.Pairs.Select(train)),
            Normalization.Burns(planted.Pairs.Select(test)),
            planted
        );
    }

    static double Cosine(float[] a, Tensor b)
    {
        var bb = Metrics.ToArray(b);
        var dot = a.Zip(bb).Sum(t => (double)t.First * t.Second);
        return dot / Math.Sqrt(a.Sum(x => (double)x * x) * bb.Sum(x => (double)x * x));
    }

    [Fact]
    public void Ccs_recovers_the_planted_truth_direction()
    {
        var (train, test, planted) = Planted();
        var fit = CcsProbe.Train(train, new CcsOptions { Epochs = 300 });
        var reports = fit.Report(test);
        Assert.Equal(10, reports.Length);
        Assert.True(reports[fit.Best].Accuracy >= 0.99, $"best restart accuracy {reports[fit.Best].Accuracy}");
        Assert.True(reports.All(r => r.Accuracy >= 0.99), string.Join(", ", reports.Select(r => r.Accuracy)));
        Assert.True(Math.Abs(Cosine(fit.Restarts[fit.Best].Direction!, planted.TruthDirection)) > 0.9);
        // The kept restart is the one with the lowest training loss, and it is low (a perfect probe scores 0).
        Assert.Equal(fit.Restarts.Min(r => r.Loss), fit.Restarts[fit.Best].Loss);
        Assert.True(fit.Restarts[fit.Best].Loss < 0.05);
        // The report re-measures each restart on the test pairs: its loss there is the CCS loss of that probe.
        var best = reports.Single(r => r.IsBest);
        Assert.Equal(fit.Restarts[fit.Best].Loss, best.TrainLoss);
        var probe = fit.BestProbe;
        var testLoss = CcsLoss.Total(probe.Probabilities(test.Pos), probe.Probabilities(test.Neg)).item<float>();
        Assert.Equal(testLoss, best.Loss, 5);
        Assert.NotEqual(best.TrainLoss, best.Loss);
    }

    [Fact]
    public void Batched_restarts_equal_sequential_ones_with_the_same_seeds()
    {
        var (train, _, _) = Planted(new PlantedOptions { Count = 400, Dim = 32 });
        foreach (
            var options in new[]
            {
                new CcsOptions
                {
                    Restarts = 4,
                    Epochs = 200,
                    Seed = 9,
                },
                new CcsOptions
                {
                    Restarts = 3,
                    Epochs = 100,
                    Kind = ProbeKind.Mlp,
                    Hidden = 16,
                    Init = ProbeInit.Default,
                    Confidence = ConfidenceTerm.Symmetric,
                },
            }
        )
        {
            var batched = CcsProbe.Train(train, options);
            var seeds = options.RestartSeeds();
            for (var r = 0; r < seeds.Length; r++)
            {
                var alone = CcsProbe.Train(train, options, new[] { seeds[r] });
                var one = batched.Probes.Restart(r);
                Assert.True((one.W1 - alone.Probes.W1).abs().max().item<float>() < 1e-5);
                Assert.True((one.B1 - alone.Probes.B1).abs().max().item<float>() < 1e-5);
                if (options.Kind == ProbeKind.Mlp)
                    Assert.True((one.W2! - alone.Probes.W2!).abs().max().item<float>() < 1e-5);
                Assert.Equal(alone.Restarts[0].Loss, batched.Restarts[r].Loss, 5);
            }
        }
    }

    [Fact]
    public void Training_is_deterministic_for_a_seed()
    {
        var (train, _, _) = Planted(new PlantedOptions { Count = 200, Dim = 16 });
        var options = new CcsOptions
        {
            Restarts = 3,
            Epochs = 50,
            Seed = 2,
        };
        var progress = new Collect();
        var a = CcsProbe.Train(train, options, progress);
        var b = CcsProbe.Train(train, options);
        Assert.Equal(25, progress.Seen.Count); // throttled: every ⌊50/20⌋ = 2 epochs
        Assert.Equal(50, progress.Seen[^1].Epoch);
        Assert.True(progress.Seen[^1].BestLoss <= progress.Seen[^1].MeanLoss);
        var c = CcsProbe.Train(train, options with { Seed = 3 });
        Assert.Equal(Metrics.ToArray(a.Probes.W1), Metrics.ToArray(b.Probes.W1));
        Assert.NotEqual(Metrics.ToArray(a.Probes.W1), Metrics.ToArray(c.Probes.W1));
    }

    [Fact]
    public void Initialisations_have_their_documented_scale()
    {
        const int d = 400;
        var seeds = new[] { 1, 2, 3 };
        var unit = CcsProbe.Initial(d, new CcsOptions(), seeds, CPU);
        var norms = (unit.W1.square().sum(new long[] { 1 }) + unit.B1.square()).sqrt();
        Assert.True((norms - 1).abs().max().item<float>() < 1e-5); // (θ, b) has unit norm

        var dflt = CcsProbe.Initial(d, new CcsOptions { Init = ProbeInit.Default }, seeds, CPU);
        Assert.True(dflt.W1.abs().max().item<float>() <= 1 / Math.Sqrt(d));
        Assert.True(dflt.W1.abs().max().item<float>() > 0.9 / Math.Sqrt(d));

        var trunc = CcsProbe.Initial(d, new CcsOptions { Init = ProbeInit.TruncatedNormal }, seeds, CPU);
        // truncated at ±2σ of the base normal
        Assert.True(trunc.W1.abs().max().item<float>() <= 2 / 0.8796 / Math.Sqrt(d) + 1e-6);
        Assert.Equal(1 / Math.Sqrt(d), trunc.W1.std().item<float>(), 2);
        Assert.Equal(0f, trunc.B1.abs().max().item<float>());

        var zero = CcsProbe.Initial(d, new CcsOptions { Init = ProbeInit.Zero }, seeds, CPU);
        Assert.True(zero.W1.abs().max().item<float>() < 1e-4);
        Assert.True(zero.W1.abs().max().item<float>() > 0);

        var mlp = CcsProbe.Initial(d, new CcsOptions { Kind = ProbeKind.Mlp }, seeds, CPU);
        Assert.Equal(new long[] { 3, d, 100 }, mlp.W1.shape);
        Assert.Equal(new long[] { 3, 100 }, mlp.W2!.shape);
        // Restart seeds do not depend on the batch they are drawn in.
        var alone = CcsProbe.Initial(d, new CcsOptions(), new[] { 2 }, CPU);
        Assert.Equal(Metrics.ToArray(unit.W1[1]), Metrics.ToArray(alone.W1[0]));
    }

    [Fact]
    public void Exact_zero_is_stuck_but_the_zero_init_tie_break_escapes()
    {
        var (train, test, _) = Planted(new PlantedOptions { Count = 400, Dim = 32 });
        // At θ = 0 every gradient with respect to θ vanishes on centred data: a step moves only the bias.
        var stuck = CcsProbe.Linear(zeros(1, 32, requires_grad: true), zeros(1, requires_grad: true));
        CcsLoss.Total(stuck.Probabilities(train.Pos), stuck.Probabilities(train.Neg)).sum().backward();
        Assert.True(stuck.W1.grad!.abs().max().item<float>() < 1e-6);
        Assert.True(stuck.B1.grad!.abs().item<float>() > 0.01);

        var fit = CcsProbe.Train(
            train,
            new CcsOptions
            {
                Restarts = 3,
                Epochs = 300,
                Init = ProbeInit.Zero,
            }
        );
        Assert.True(fit.Report(test)[fit.Best].Accuracy >= 0.99);
    }

    [Fact]
    public void Mlp_probe_and_Farquhar_settings_also_find_the_planted_truth()
    {
        var (train, test, _) = Planted(new PlantedOptions { Count = 600, Dim = 32 });
        var mlp = CcsProbe.Train(
            train,
            new CcsOptions
            {
                Restarts = 3,
                Epochs = 300,
                Kind = ProbeKind.Mlp,
                Hidden = 32,
            }
        );
        Assert.True(mlp.Report(test)[mlp.Best].Accuracy >= 0.97);
        Assert.Null(mlp.Restarts[0].Direction);

        var farquhar = CcsProbe.Train(
            train,
            CcsOptions.Farquhar with
            {
                Restarts = 5,
                Epochs = 300,
                LearningRate = 1e-2,
            }
        );
        var reports = farquhar.Report(test);
        Assert.Equal(5, reports.Length);
        Assert.True(reports[farquhar.Best].Accuracy >= 0.99);
    }

    [Fact]
    public void A_grid_of_linear_probes_is_scored_in_one_batch()
    {
        var (train, _, planted) = Planted(new PlantedOptions { Count = 200, Dim = 16 });
        var truth = planted.TruthDirection;
        var weights = stack(new[] { 10 * truth, zeros(16), -10 * truth });
        var loss = Metrics.ToArray(CcsProbe.Linear(weights).Loss(train, ConfidenceTerm.Burns));
        Assert.Equal(0.25, loss[1], 5); // θ = 0: p ≡ ½
        Assert.True(loss[0] < 0.1 && loss[2] < 0.1); // along ±truth: consistent and confident, whichever sign
    }

    sealed class Collect : IProgress<CcsProgress>
    {
        public List<CcsProgress> Seen { get; } = new();

        public void Report(CcsProgress value) => Seen.Add(value);
    }
}
