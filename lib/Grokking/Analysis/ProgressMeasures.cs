using static TorchSharp.torch;

namespace ScienceOfDL.Grokking;

/// <summary>
/// The progress measures of Nanda et al. (2023, §5.1), defined as in their analysis code (Grokking_Analysis.ipynb in
/// mechanistic-interpretability-grokking/progress-measures-paper: <c>trig_loss</c>, <c>excluded_loss_2D_full</c>,
/// <c>calculate_excluded_loss_2D</c>, and the neuron frequencies behind <c>key_freqs</c>), for (a + b) mod p:
/// <list type="bullet">
/// <item>Logits are taken for all p² inputs; each output c is a vector over the p² inputs.</item>
/// <item>For a key frequency k, that vector is projected onto the two unit directions ∝ cos(w_k(a+b)) and
/// sin(w_k(a+b)) (w_k = 2πk/p) of the input space, separately for every c.</item>
/// <item>Restricted loss: keep only those projections, add back each output's mean over inputs (their "bias
/// correction"), cross-entropy over all p² inputs. Excluded loss: subtract those projections, no correction,
/// cross-entropy over the training set.</item>
/// <item>Key frequencies: each neuron's dominant frequency in its 2-D Fourier spectrum over (a, b) (linear and
/// quadratic terms); the key frequencies are the distinct dominant frequencies.</item>
/// </list>
/// Per output c the kept part is α_c·cos(w_k(a+b)) + β_c·sin(w_k(a+b)); the generalising circuit's logit
/// cos(w_k(a+b−c)) is the special case α_c = cos(w_k c), β_c = sin(w_k c). Our joint projection
/// (<see cref="Fourier.JointRestrictedAndExcluded"/>) keeps only that special case, so it keeps less.
/// </summary>
public static class ProgressMeasures
{
    /// <summary>Each neuron's dominant frequency from its activations at "=" over all p² inputs (the whole table, any
    /// row order): activations are centred over inputs, transformed with the 2-D Fourier basis, and for every
    /// frequency k the squared terms (1, cos k), (1, sin k), (cos k, 1), (sin k, 1) and the four products of cos k and
    /// sin k are summed.</summary>
    /// <param name="activations">(p², neurons), one row per row of <paramref name="table"/>.</param>
    public static NeuronFrequency[] NeuronFrequencies(Tensor activations, OperationTable table)
    {
        var p = table.P;
        if (table.Count != p * p)
            throw new ArgumentException("Neuron frequencies need the full p × p table.");
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var device = activations.device;
        var neurons = activations.shape[1];
        var cell = tensor(table.A.Zip(table.B, (a, b) => (long)(a * p + b)).ToArray(), device: device);
        var grid = zeros(p * p, neurons, ScalarType.Float64, device: device)
            .index_copy_(0, cell, activations.to(ScalarType.Float64)); // row a·p + b
        grid = grid - grid.mean([0L], keepdim: true);
        var basis = Fourier.Basis(p, device).to(ScalarType.Float64); // (basis row, residue)
        var overA = basis.matmul(grid.view(p, p * neurons)).view(p, p, neurons); // (f, b, n)
        var power = basis
            .matmul(overA.permute(1, 0, 2).reshape(p, p * neurons))
            .view(p, p, neurons)
            .permute(1, 0, 2)
            .square(); // (f_a, f_b, n)
        var total = power.sum([0L, 1L]).cpu().data<double>().ToArray();
        var frequencies = Fourier.Frequencies(p);
        var explained = new double[frequencies, neurons];
        for (var k = 1; k < frequencies; k++)
        {
            long[] rows = 2 * k < p ? [0, 2 * k - 1, 2 * k] : [0, 2 * k - 1]; // even p: k = p/2 has no sine
            var index = tensor(rows, device: device);
            var terms = power.index_select(0, index).index_select(1, index).sum([0L, 1L]); // (0, 0) is 0: centred
            var values = terms.cpu().data<double>().ToArray();
            for (var n = 0; n < neurons; n++)
                explained[k, n] = values[n];
        }
        return Enumerable
            .Range(0, (int)neurons)
            .Select(n =>
            {
                if (total[n] <= 1e-20)
                    return new NeuronFrequency(n, 0, 0);
                var best = Enumerable.Range(1, frequencies - 1).MaxBy(k => explained[k, n]);
                return new NeuronFrequency(n, best, explained[best, n] / total[n]);
            })
            .ToArray();
    }

    /// <summary>Each MLP neuron's dominant frequency in a network, from its activations on the whole table.</summary>
    public static NeuronFrequency[] NeuronFrequencies(Transformer model, OperationTable table)
    {
        using var _ = no_grad();
        using var acts = new Activations();
        using var tokens = table.Tokens(Enumerable.Range(0, table.Count).ToArray(), model.W_E.device);
        model.Forward(tokens, acts).Dispose();
        return NeuronFrequencies(acts["mlp.post"], table);
    }

    /// <summary>Key frequencies as Nanda et al. read them: the distinct dominant frequencies of the neurons (theirs
    /// keep every neuron, <paramref name="minExplained"/> = 0; they call neurons with less than 0.85 explained
    /// unclustered). Ordered by how many neurons have each, most first.</summary>
    public static int[] KeyFrequencies(IEnumerable<NeuronFrequency> neurons, double minExplained = 0) =>
        neurons
            .Where(n => n.Frequency > 0 && n.FractionExplained >= minExplained)
            .GroupBy(n => n.Frequency)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key)
            .Select(g => g.Key)
            .ToArray();

    /// <summary>Key frequencies of a network, from its neurons
    /// (<see cref="KeyFrequencies(IEnumerable{NeuronFrequency}, double)"/>).</summary>
    public static int[] KeyFrequencies(Transformer model, OperationTable table, double minExplained = 0) =>
        KeyFrequencies(NeuronFrequencies(model, table), minExplained);

    /// <summary>The measures for a network, on the whole (a + b) table of its split.</summary>
    public static ProgressMeasurement Measure(Transformer model, Split data, int[] keyFrequencies, int step = 0)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var all = data.Table.Tokens(Enumerable.Range(0, data.Table.Count).ToArray(), model.W_E.device);
        var logits = model.Forward(all);
        var norm = Math.Sqrt(model.Parameters.Sum(p => p.Value.square().sum().item<float>()));
        return FromLogits(logits, data, keyFrequencies, step, norm);
    }

    /// <summary>The measures from a logit table: (p², p), one row per row of the split's table.</summary>
    public static ProgressMeasurement FromLogits(
        Tensor logits,
        Split data,
        int[] keyFrequencies,
        int step = 0,
        double parameterNorm = double.NaN
    )
    {
        var table = data.Table;
        Check(table, logits);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var l = logits.to(ScalarType.Float64);
        var trig = KeyPart(l, table, keyFrequencies);
        var restricted = trig + (l - trig).mean([0L], keepdim: true); // Nanda's bias correction, per output c
        var (jointRestricted, jointExcluded) = Fourier.JointRestrictedAndExcluded(l, table, keyFrequencies);
        var (train, test) = (Rows(data.Train, l.device), Rows(data.Test, l.device));
        var all = Rows(Enumerable.Range(0, table.Count).ToArray(), l.device);
        double Loss(Tensor x, Tensor rows) =>
            rows.shape[0] == 0
                ? double.NaN
                : nn.functional.cross_entropy(x.index_select(0, rows), Labels(table, rows)).item<double>();
        return new ProgressMeasurement(
            step,
            Loss(l, train),
            Loss(l, test),
            Loss(restricted, all),
            Loss(restricted, train),
            Loss(l - trig, train),
            Loss(jointRestricted, train),
            Loss(jointExcluded, train),
            parameterNorm
        );
    }

    /// <summary>Excluded loss with one key frequency removed at a time (Nanda's Fig. 12), in the order given.</summary>
    public static double[] ExcludedLossByFrequency(Tensor logits, Split data, int[] keyFrequencies)
    {
        Check(data.Table, logits);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var l = logits.to(ScalarType.Float64);
        var train = Rows(data.Train, l.device);
        var labels = Labels(data.Table, train);
        return keyFrequencies
            .Select(k =>
                nn.functional.cross_entropy((l - KeyPart(l, data.Table, [k])).index_select(0, train), labels)
                    .item<double>()
            )
            .ToArray();
    }

    /// <summary>Trains like <see cref="CircuitTrace.Train"/> (snapshots every <paramref name="every"/> steps) and
    /// measures each snapshot with one set of key frequencies: by default the final network's, as Nanda et al. use the
    /// grokked network's frequencies for the whole run.</summary>
    public static List<ProgressMeasurement> Trace(
        TrainingState state,
        Split data,
        TrainConfig config,
        int every,
        int[]? keyFrequencies = null,
        IProgress<StepMetrics>? progress = null,
        CancellationToken cancel = default
    )
    {
        var snapshots = CircuitTrace.Snapshots(state, data, config, every, progress, cancel);
        var keys = keyFrequencies ?? KeyFrequencies(state.Model, data.Table);
        using var probe = new Transformer(state.Model.Config, seed: 0, state.Model.W_E.device);
        return snapshots
            .Select(s =>
            {
                CircuitTrace.Load(probe, s.Weights);
                return Measure(probe, data, keys, s.Metrics.Step);
            })
            .ToList();
    }

    /// <summary>Each column of the logits projected onto the unit directions ∝ cos(w_k(a+b)) and sin(w_k(a+b)) over the
    /// inputs, summed over the given frequencies (these directions are orthonormal over the full table).</summary>
    static Tensor KeyPart(Tensor logits, OperationTable table, IEnumerable<int> keys)
    {
        var p = table.P;
        var sum = tensor(table.A.Zip(table.B, (a, b) => (double)((a + b) % p)).ToArray(), device: logits.device);
        var part = zeros_like(logits);
        foreach (var k in keys.Distinct())
        {
            var angle = sum * (2 * Math.PI * k / p);
            foreach (var wave in new[] { angle.cos(), angle.sin() })
            {
                var norm = wave.norm().item<double>();
                if (norm < 1e-9)
                    continue; // sin at k = p/2 for even p
                var unit = (wave / norm).unsqueeze(1); // (p², 1)
                part = part + unit * unit.t().matmul(logits); // (p², 1)·(1, p)
            }
        }
        return part;
    }

    static void Check(OperationTable table, Tensor logits)
    {
        if (table.Operation != Operation.Add || table.RandomLabels || table.Count != table.P * table.P)
            throw new ArgumentException(
                "Nanda et al.'s progress measures are defined for the full (a + b) mod p table with true labels."
            );
        if (logits.shape[0] != table.Count || logits.shape[1] != table.P)
            throw new ArgumentException(
                $"Expected logits ({table.Count}, {table.P}), got ({string.Join(", ", logits.shape)})."
            );
    }

    static Tensor Rows(int[] rows, Device device) => tensor(rows.Select(r => (long)r).ToArray(), device: device);

    static Tensor Labels(OperationTable table, Tensor rows) =>
        tensor(rows.cpu().data<long>().ToArray().Select(r => (long)table.C[r]).ToArray(), device: rows.device);
}
