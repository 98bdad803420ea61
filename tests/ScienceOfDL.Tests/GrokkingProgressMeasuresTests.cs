using ScienceOfDL.Grokking;
using static TorchSharp.torch;

namespace ScienceOfDL.Tests;

public class GrokkingProgressMeasuresTests : TinyGrokking // Table, Data, Tiny, Folder
{
    const int P = 23;
    static readonly OperationTable Small = OperationTable.Create(P);
    static readonly Split SmallData = Split.ByFraction(Small, 0.4, seed: 0);

    static double W(int k, double x) => 2 * Math.PI * k * x / P;

    /// <summary>A logit table (p², p) in table row order from a function of (a, b, c).</summary>
    static Tensor Logits(Func<int, int, int, double> logit)
    {
        var values = new double[Small.Count * P];
        for (var r = 0; r < Small.Count; r++)
        for (var c = 0; c < P; c++)
            values[r * P + c] = logit(Small.A[r], Small.B[r], c);
        return tensor(values, new long[] { Small.Count, P });
    }

    static double CrossEntropy(Tensor logits, int[] rows) =>
        nn
            .functional.cross_entropy(
                logits.index_select(0, tensor(rows.Select(r => (long)r).ToArray())),
                Small.Labels(rows)
            )
            .item<double>();

    [Fact]
    public void On_a_table_made_of_key_frequencies_the_restricted_loss_is_the_loss_and_the_excluded_loss_chance()
    {
        // The generalising circuit's logits: frequencies 3 and 7 along cos/sin(w(a+b−c)), plus a constant per input.
        using var logits = Logits(
            (a, b, c) =>
                4 * Math.Cos(W(3, a + b - c))
                + 3 * Math.Cos(W(7, a + b - c))
                + Math.Sin(W(7, a + b - c))
                + 0.3 * ((a * b) % 4)
        );
        var all = Enumerable.Range(0, Small.Count).ToArray();
        var m = ProgressMeasures.FromLogits(logits, SmallData, [3, 7]);
        Assert.Equal(CrossEntropy(logits, SmallData.Train), m.TrainLoss, 9);
        Assert.Equal(CrossEntropy(logits, all), m.RestrictedLoss, 6);
        Assert.Equal(m.TrainLoss, m.RestrictedTrainLoss, 6);
        Assert.Equal(Math.Log(P), m.ExcludedLoss, 6);
        // For logits of exactly this form the joint projection agrees.
        Assert.Equal(m.TrainLoss, m.JointRestrictedLoss, 6);
        Assert.Equal(Math.Log(P), m.JointExcludedLoss, 6);
        Assert.True(m.ExcludedOverTrain > 5, $"excluded/train {m.ExcludedOverTrain}");

        // One of the two frequencies: removing it leaves the other (still peaked at the answer); keeping it loses one.
        var byFrequency = ProgressMeasures.ExcludedLossByFrequency(logits, SmallData, [3, 7]);
        Assert.All(byFrequency, l => Assert.InRange(l, m.TrainLoss + 0.01, Math.Log(P) - 0.01));
        // Removing 3 (amplitude 4) leaves the weaker 7 (amplitude √10), so it hurts more than removing 7.
        Assert.True(byFrequency[0] > byFrequency[1], $"{byFrequency[0]} vs {byFrequency[1]}");
        var onlyThree = ProgressMeasures.FromLogits(logits, SmallData, [3]);
        Assert.InRange(onlyThree.RestrictedLoss, m.RestrictedLoss + 0.01, Math.Log(P));
        Assert.Equal(byFrequency[0], onlyThree.ExcludedLoss, 9);
        // A frequency that is not in the logits changes nothing when removed and restricts to chance.
        var absent = ProgressMeasures.FromLogits(logits, SmallData, [5]);
        Assert.Equal(m.TrainLoss, absent.ExcludedLoss, 6);
        Assert.Equal(Math.Log(P), absent.RestrictedLoss, 6);
    }

    [Fact]
    public void Nandas_per_output_projection_keeps_what_the_joint_projection_drops()
    {
        // Each output c reads cos(w(a+b)) with its own weight g(c): inside Nanda's per-output span for frequency 4, but
        // only the cos(w·c) part of g lies along the joint direction cos(w(a+b−c)).
        var rng = new Random(1);
        var g = Enumerable.Range(0, P).Select(c => Math.Cos(W(4, c)) + 0.8 * (rng.NextDouble() - 0.5)).ToArray();
        using var logits = Logits((a, b, c) => 6 * Math.Cos(W(4, a + b)) * g[c]);
        var all = Enumerable.Range(0, Small.Count).ToArray();
        var m = ProgressMeasures.FromLogits(logits, SmallData, [4]);
        Assert.Equal(CrossEntropy(logits, all), m.RestrictedLoss, 6);
        Assert.Equal(Math.Log(P), m.ExcludedLoss, 6);
        // The joint projection keeps only part of it: its restricted logits differ from the logits (here they even
        // predict better, since the dropped part is noise around the answer) and its excluded logits are not empty.
        Assert.True(
            Math.Abs(m.JointRestrictedLoss - m.TrainLoss) > 0.1,
            $"joint restricted {m.JointRestrictedLoss}, train {m.TrainLoss}"
        );
        Assert.True(Math.Abs(m.JointExcludedLoss - Math.Log(P)) > 0.1, $"joint excluded {m.JointExcludedLoss}");
    }

    [Fact]
    public void A_memorising_logit_table_loses_almost_nothing_without_the_key_frequencies_and_most_with_only_them()
    {
        // A lookup table: noise, plus a large logit at the answer for the training examples only.
        var rng = new Random(2);
        var train = SmallData.Train.ToHashSet();
        var noise = Enumerable.Range(0, Small.Count * P).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        using var logits = Logits(
            (a, b, c) =>
            {
                var row = a * P + b;
                return noise[row * P + c] + (train.Contains(row) && c == Small.C[row] ? 8 : 0);
            }
        );
        var m = ProgressMeasures.FromLogits(logits, SmallData, [3, 7]);
        Assert.True(m.TrainLoss < 0.05, $"train loss {m.TrainLoss}");
        // Removing 4 of the 529 input directions per output barely moves a lookup table (a generalising one: ln p).
        Assert.True(m.ExcludedLoss < m.TrainLoss + 0.05, $"excluded {m.ExcludedLoss}, train {m.TrainLoss}");
        // Not quite ln p: the memorised answers sit at a + b ≡ c, so even a lookup table of addition has a little of
        // every frequency (2 of the 11 here), and the restricted logits lean weakly towards the answer.
        Assert.True(m.RestrictedLoss > 0.75 * Math.Log(P), $"restricted {m.RestrictedLoss} vs ln p {Math.Log(P)}");
        Assert.True(m.RestrictedLoss > m.TrainLoss + 2, $"restricted {m.RestrictedLoss}, train {m.TrainLoss}");
    }

    [Fact]
    public void Neuron_frequencies_recover_the_frequency_each_neuron_is_built_from()
    {
        int[] tuned = [3, 3, 3, 5, 5, 9];
        var rng = new Random(3);
        var values = new float[Small.Count * (tuned.Length + 1)];
        for (var r = 0; r < Small.Count; r++)
        {
            var (a, b) = (Small.A[r], Small.B[r]);
            for (var n = 0; n < tuned.Length; n++)
            {
                var k = tuned[n];
                // A quadratic form in cos/sin of a and b (what a ReLU neuron of the Fourier circuit computes), a linear
                // term, an offset and a little noise.
                var v =
                    Math.Cos(W(k, a) + n) * Math.Cos(W(k, b) + 0.5 * n)
                    + 0.4 * Math.Sin(W(k, b))
                    + 2
                    + 0.05 * (rng.NextDouble() - 0.5);
                values[r * (tuned.Length + 1) + n] = (float)v;
            }
            values[r * (tuned.Length + 1) + tuned.Length] = 1.5f; // a dead neuron: the same on every input
        }
        using var acts = tensor(values, new long[] { Small.Count, tuned.Length + 1 });
        var neurons = ProgressMeasures.NeuronFrequencies(acts, Small);
        Assert.Equal(tuned.Append(0), neurons.Select(n => n.Frequency));
        Assert.All(neurons.Take(tuned.Length), n => Assert.InRange(n.FractionExplained, 0.99, 1.0 + 1e-9));
        Assert.Equal([3, 5, 9], ProgressMeasures.KeyFrequencies(neurons));
        Assert.Empty(ProgressMeasures.KeyFrequencies(neurons, minExplained: 1.1));
    }

    [Fact]
    public void A_grokked_tiny_network_has_few_key_frequencies_that_carry_its_logits()
    {
        using var state = TrainingState.Create(Tiny, seed: 0);
        var trace = ProgressMeasures.Trace(state, Data, new TrainConfig(Steps: 1200, LearningRate: 1e-2), every: 400);
        Assert.Equal([0, 400, 800, 1200], trace.Select(m => m.Step));
        var keys = ProgressMeasures.KeyFrequencies(state.Model, Table);
        Assert.InRange(keys.Length, 1, 8);
        var end = trace[^1];
        Assert.True(end.TestLoss < 0.1, $"test loss {end.TestLoss}: the network should have grokked");
        Assert.True(end.RestrictedLoss < 0.5, $"restricted loss {end.RestrictedLoss}, keys {string.Join(",", keys)}");
        Assert.True(end.ExcludedOverTrain > 10, $"excluded {end.ExcludedLoss}, train {end.TrainLoss}");
        // At initialisation nothing is carried by those frequencies yet.
        Assert.True(trace[0].RestrictedLoss > 0.9 * Math.Log(Table.P), $"at step 0: {trace[0].RestrictedLoss}");
        Assert.Equal(ProgressMeasures.Measure(state.Model, Data, keys, 1200), end);
    }
}
