using static TorchSharp.torch;

namespace ScienceOfDL.Grokking;

/// <summary>What the Fourier analysis of Nanda et al. (2023) says about one network on (a + b) mod p.</summary>
/// <param name="EmbeddingSpectrum">Norm of W_E (number tokens) along each frequency k = 0..p/2 (0 is the
/// constant).</param>
/// <param name="LogitSpectrum">Norm of the logits, over all p² inputs, along each trigonometric direction
/// cos/sin(w_k(a+b−c)).</param>
/// <param name="TrigShare">Share of the logits' squared norm (after removing each input's mean logit) that lies in the
/// trigonometric subspace of all frequencies: near 1 for the generalising circuit, small for a memorising lookup
/// table.</param>
/// <param name="RestrictedLoss">Training loss when the logits keep only the key frequencies' part along the joint
/// directions cos/sin(w_k(a+b−c)) (plus each input's mean logit). This joint projection is ours, not Nanda et al.'s
/// restricted loss, which projects each output c separately onto cos/sin(w_k(a+b)): see <see
/// cref="ProgressMeasures"/>.</param>
/// <param name="ExcludedLoss">Training loss when the key frequencies' joint part cos/sin(w_k(a+b−c)) is removed from
/// the logits (not Nanda et al.'s excluded loss: see <see cref="ProgressMeasures"/>).</param>
/// <param name="GiniEmbedding">Gini coefficient of <paramref name="EmbeddingSpectrum"/> (k ≥ 1): 1 = one frequency, 0 =
/// all equal.</param>
/// <param name="GiniNeuronLogit">Gini coefficient of the spectrum of W_L = W_out·W_U over the answer c.</param>
public sealed record CircuitAnalysis(
    double[] EmbeddingSpectrum,
    double[] LogitSpectrum,
    double TrigShare,
    int[] KeyFrequencies,
    double RestrictedLoss,
    double ExcludedLoss,
    double TrainLoss,
    double GiniEmbedding,
    double GiniNeuronLogit
);

/// <summary>
/// The generalising circuit Nanda et al. (2023) found for modular addition: embed a and b as cos/sin(w_k·) for a few
/// key frequencies w_k = 2πk/p, combine them into cos/sin(w_k(a+b)), and read out logits Σ_k α_k cos(w_k(a+b−c)). A
/// memorising lookup table has no reason to be trigonometric, so how much of the network lives in a few frequencies
/// tells the two circuits apart. Defined for addition only (the trigonometric directions depend on a+b).
/// </summary>
public static class Fourier
{
    /// <summary>Orthonormal Fourier basis of functions on 0..p−1, one basis vector per row: row 0 constant, rows 2k−1
    /// and 2k the cosine and sine of frequency k (k = 1..(p−1)/2), and for even p a last row alternating
    /// ±1/√p.</summary>
    public static Tensor Basis(int p, Device? device = null)
    {
        var rows = new double[p * p];
        for (var x = 0; x < p; x++)
            rows[x] = 1 / Math.Sqrt(p);
        for (var k = 1; 2 * k <= p; k++)
        for (var x = 0; x < p; x++)
        {
            var angle = 2 * Math.PI * k * x / p;
            // for even p, k = p/2 gives the alternating row
            rows[(2 * k - 1) * p + x] = Math.Cos(angle);
            if (2 * k < p)
                rows[2 * k * p + x] = Math.Sin(angle);
        }
        var basis = tensor(rows, new long[] { p, p }, ScalarType.Float64);
        // Normalise each row (cosines and sines have norm √(p/2), the even-p alternating row √p).
        basis = basis / basis.norm(1, keepdim: true);
        return basis.to(ScalarType.Float32).to(device ?? CPU);
    }

    public static int Frequencies(int p) => p / 2 + 1; // k = 0..⌊p/2⌋

    /// <summary>Norm of a (p, n) matrix whose rows are indexed by a residue, per frequency k = 0..⌊p/2⌋ (cos and sin
    /// together).</summary>
    public static double[] Spectrum(Tensor byResidue)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var p = (int)byResidue.shape[0];
        var coefficients = Basis(p, byResidue.device).matmul(byResidue.to(ScalarType.Float32)); // (p, n)
        var rowEnergy = coefficients.square().sum(1).to(ScalarType.Float64).cpu().data<double>().ToArray();
        var spectrum = new double[Frequencies(p)];
        for (var row = 0; row < p; row++)
            spectrum[(row + 1) / 2] += rowEnergy[row];
        return spectrum.Select(Math.Sqrt).ToArray();
    }

    /// <summary>Spectrum of the embedding of the p number tokens ("=" left out).</summary>
    public static double[] EmbeddingSpectrum(Transformer model) => Spectrum(model.W_E[..model.Config.Outputs]);

    /// <summary>Spectrum of W_L = W_out·W_U (neurons → logits) over the answer c.</summary>
    public static double[] NeuronLogitSpectrum(Transformer model)
    {
        using var _ = no_grad();
        using var wl = model.W_out.matmul(model.W_U).t();
        return Spectrum(wl);
    }

    /// <summary>Gini coefficient of non-negative values: 0 when all are equal, → 1 when one holds everything.</summary>
    public static double Gini(IEnumerable<double> values)
    {
        var x = values.OrderBy(v => v).ToArray();
        var total = x.Sum();
        if (x.Length == 0 || total <= 0)
            return 0;
        var weighted = x.Select((v, i) => (i + 1) * v).Sum();
        return 2 * weighted / (x.Length * total) - (x.Length + 1.0) / x.Length;
    }

    /// <summary>Frequencies k ≥ 1 holding at least <paramref name="minShare"/> of the spectrum's squared norm (without
    /// k = 0), largest first.</summary>
    public static int[] KeyFrequencies(double[] spectrum, double minShare = 0.05)
    {
        var energy = spectrum.Skip(1).Sum(v => v * v);
        return Enumerable
            .Range(1, spectrum.Length - 1)
            .Where(k => energy > 0 && spectrum[k] * spectrum[k] >= minShare * energy)
            .OrderByDescending(k => spectrum[k])
            .ToArray();
    }

    /// <summary>
    /// Logits of every pair (a, b), split into trigonometric parts: for each frequency k the coefficients of
    /// cos(w_k(a+b−c)) and sin(w_k(a+b−c)), orthogonal directions in the p³ grid of (a, b, c). Then the restricted
    /// logits (each input's mean logit plus the key frequencies' part) and the excluded logits (everything but that
    /// part), scored by cross-entropy on the training set. This is a joint projection of our own, stricter than Nanda
    /// et al.'s per-output one (<see cref="ProgressMeasures"/>): it keeps two numbers per frequency, where theirs keeps
    /// any α_c·cos(w_k(a+b)) + β_c·sin(w_k(a+b)), two numbers per frequency and output.
    /// </summary>
    /// <param name="keyFrequencies">Frequencies to keep/remove; null = <see cref="KeyFrequencies"/> of this network's
    /// logits.</param>
    public static CircuitAnalysis Analyse(Transformer model, Split data, int[]? keyFrequencies = null)
    {
        var table = data.Table;
        if (table.Operation != Operation.Add || table.RandomLabels || table.Count != table.P * table.P)
            throw new ArgumentException(
                "The trigonometric analysis is defined for the full (a + b) mod p table with " + "true labels."
            );
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var p = table.P;
        var device = model.W_E.device;
        var all = Enumerable.Range(0, table.Count).ToArray();
        // (p², p), row = table row
        var logits = model.Forward(table.Tokens(all, device)).to(ScalarType.Float64);
        var sum = tensor(all.Select(r => (long)((table.A[r] + table.B[r]) % p)).ToArray(), device: device);
        var c = arange(p, dtype: ScalarType.Int64, device: device);
        // (p², p): (a+b−c) mod p
        var diff = (sum.unsqueeze(1) - c.unsqueeze(0) + p).remainder(p);

        var centred = logits - logits.mean([1L], keepdim: true);
        // Sum of the logits at each value d of a+b−c, then a discrete Fourier transform of that p-vector.
        var byDifference = zeros(p, ScalarType.Float64, device: device)
            .index_add_(0, diff.reshape(-1), centred.reshape(-1), 1.0);
        var d = arange(p, dtype: ScalarType.Float64, device: device);
        var frequencies = Frequencies(p);
        var cosCoef = new double[frequencies];
        var sinCoef = new double[frequencies];
        var spectrum = new double[frequencies];
        var directionNorm2 = (double)p * p * p / 2; // squared norm of cos(w_k(a+b−c)) over the grid, 1 ≤ k < p/2
        for (var k = 1; k < frequencies; k++)
        {
            var w = 2 * Math.PI * k / p;
            var norm2 = 2 * k == p ? (double)p * p * p : directionNorm2;
            cosCoef[k] = (byDifference * (d * w).cos()).sum().item<double>() / norm2;
            sinCoef[k] = 2 * k == p ? 0 : (byDifference * (d * w).sin()).sum().item<double>() / norm2;
            spectrum[k] = Math.Sqrt((cosCoef[k] * cosCoef[k] + sinCoef[k] * sinCoef[k]) * norm2);
        }
        var keys = keyFrequencies ?? KeyFrequencies(spectrum);

        var trigShare = spectrum.Sum(v => v * v) / Math.Max(1e-30, centred.square().sum().item<double>());
        var (restricted, excluded) = JointRestrictedAndExcluded(logits, table, keys);
        var trainRows = tensor(data.Train.Select(r => (long)r).ToArray(), device: device);
        var labels = table.Labels(data.Train, device);
        double Loss(Tensor l) => nn.functional.cross_entropy(l.index_select(0, trainRows), labels).item<double>();

        var embedding = EmbeddingSpectrum(model);
        return new CircuitAnalysis(
            embedding,
            spectrum,
            trigShare,
            keys,
            Loss(restricted),
            Loss(excluded),
            Loss(logits),
            Gini(embedding.Skip(1)),
            Gini(NeuronLogitSpectrum(model).Skip(1))
        );
    }

    /// <summary>The joint projection (ours): logits (one row per table row, float64) split into the part along
    /// cos/sin(w_k(a+b−c)) of the key frequencies and the rest. Restricted = each input's mean logit + that part;
    /// excluded = logits − that part. The directions are orthogonal over the full p × p × p grid, so each coefficient
    /// is a plain projection.</summary>
    public static (Tensor Restricted, Tensor Excluded) JointRestrictedAndExcluded(
        Tensor logits,
        OperationTable table,
        IEnumerable<int> keys
    )
    {
        var p = table.P;
        var device = logits.device;
        var sum = tensor(table.A.Zip(table.B, (a, b) => (long)((a + b) % p)).ToArray(), device: device);
        var diff = (sum.unsqueeze(1) - arange(p, dtype: ScalarType.Int64, device: device).unsqueeze(0) + p).remainder(
            p
        );
        var centred = logits - logits.mean([1L], keepdim: true);
        var byDifference = zeros(p, ScalarType.Float64, device: device)
            .index_add_(0, diff.reshape(-1), centred.reshape(-1), 1.0);
        var d = arange(p, dtype: ScalarType.Float64, device: device);
        var profile = zeros(p, ScalarType.Float64, device: device);
        foreach (var k in keys)
        {
            var w = 2 * Math.PI * k / p;
            var norm2 = 2 * k == p ? (double)p * p * p : (double)p * p * p / 2;
            var (cos, sin) = ((d * w).cos(), (d * w).sin());
            profile = profile + cos * ((byDifference * cos).sum() / norm2) + sin * ((byDifference * sin).sum() / norm2);
        }
        var keyPart = profile.index_select(0, diff.reshape(-1)).reshape(diff.shape);
        return (logits.mean([1L], keepdim: true) + keyPart, logits - keyPart);
    }
}
