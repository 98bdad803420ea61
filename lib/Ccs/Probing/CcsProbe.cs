using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ScienceOfDL.Ccs.Probing;

/// <summary>
/// R CCS probes held as one batch: every parameter has a leading restart axis, so all restarts train together in one
/// tensor computation. Linear: W1 [R, d], B1 [R]. MLP: W1 [R, d, h], B1 [R, h], W2 [R, h], B2 [R].
/// Each restart's gradient depends only on its own loss and AdamW updates each number on its own, so training R
/// restarts in a batch gives the same result as training them one after the other.
/// </summary>
public sealed record CcsProbe(ProbeKind Kind, Tensor W1, Tensor B1, Tensor? W2 = null, Tensor? B2 = null)
{
    /// <summary>Part of every saved CCS result's key: bumped when a change to the probes, their training, the baselines
    /// or the normalisation changes the numbers, so results from before are recomputed instead of reused.</summary>
    public const int CodeVersion = 1;

    public int Restarts => (int)W1.shape[0];
    public int Dim => (int)W1.shape[1];
    Tensor[] All => Kind == ProbeKind.Linear ? new[] { W1, B1 } : new[] { W1, B1, W2!, B2! };

    /// <summary>Logits [R, n] for states x [n, d].</summary>
    public Tensor Logits(Tensor x)
    {
        if (Kind == ProbeKind.Linear)
            return matmul(W1, x.t()) + B1.unsqueeze(1);
        // All restarts' hidden layers as one wide matmul x [n, d] · [d, R·h] (faster than a batched matmul over R).
        long r = W1.shape[0],
            d = W1.shape[1],
            h = W1.shape[2],
            n = x.shape[0];
        var wide = matmul(x, W1.permute(1, 0, 2).reshape(d, r * h)).reshape(n, r, h).permute(1, 0, 2);
        var hidden = nn.functional.relu(wide + B1.unsqueeze(1)); // [R, n, h]
        return matmul(hidden, W2!.unsqueeze(-1)).squeeze(-1) + B2!.unsqueeze(1); // [R, n]
    }

    public Tensor Probabilities(Tensor x) => sigmoid(Logits(x));

    /// <summary>CCS loss of every restart on these pairs: [R].</summary>
    public Tensor Loss(HiddenPairs pairs, ConfidenceTerm term) =>
        LossOnStacked(cat(new[] { pairs.Pos, pairs.Neg }), term);

    /// <summary>The loss on x⁺ and x⁻ stacked as one [2n, d] tensor: one matmul for both halves.</summary>
    Tensor LossOnStacked(Tensor both, ConfidenceTerm term)
    {
        var p = Probabilities(both);
        var n = both.shape[0] / 2;
        return CcsLoss.Total(p.narrow(1, 0, n), p.narrow(1, n, n), term);
    }

    /// <summary>Truth scores [R, n]: p̃ − ½, positive when the probe says x⁺ is the true half (before sign
    /// disambiguation).</summary>
    public Tensor Scores(HiddenPairs pairs) =>
        CcsLoss.AverageConfidence(Probabilities(pairs.Pos), Probabilities(pairs.Neg)) - 0.5;

    /// <summary>Restart r alone, as a batch of one.</summary>
    public CcsProbe Restart(int r) =>
        new(Kind, Slice(W1, r), Slice(B1, r), W2 is null ? null : Slice(W2, r), B2 is null ? null : Slice(B2, r));

    static Tensor Slice(Tensor t, int r) => t.narrow(0, r, 1).detach().clone();

    /// <summary>θ/‖θ‖ of restart r for a linear probe (null for the MLP).</summary>
    public float[]? Direction(int r)
    {
        if (Kind != ProbeKind.Linear)
            return null;
        using var w = W1[r].detach();
        using var unit = w / w.norm().clamp_min(1e-30);
        return unit.cpu().data<float>().ToArray();
    }

    /// <summary>R linear probes with given weights [R, d] and biases [R] (default 0): e.g. a grid of directions in the
    /// plane of two principal components, whose CCS losses <see cref="Loss"/> then computes in one batch.</summary>
    public static CcsProbe Linear(Tensor weights, Tensor? bias = null) =>
        new(ProbeKind.Linear, weights, bias ?? zeros(weights.shape[0], weights.dtype, weights.device));

    /// <summary>Untrained probes, one per seed, on <paramref name="device"/>. Each restart's numbers come from its own
    /// CPU generator, so they do not depend on the device or on how many restarts share the batch.
    /// These untrained probes are also the "random probe" baseline.</summary>
    public static CcsProbe Initial(int dim, CcsOptions options, IReadOnlyList<int> seeds, Device device)
    {
        var parts = seeds.Select(seed => InitialOne(dim, options, seed)).ToList();
        Tensor Stack(int i) => stack(parts.Select(p => p[i]).ToArray()).to(device);
        var probe =
            options.Kind == ProbeKind.Linear
                ? new CcsProbe(ProbeKind.Linear, Stack(0), Stack(1))
                : new CcsProbe(ProbeKind.Mlp, Stack(0), Stack(1), Stack(2), Stack(3));
        foreach (var p in parts)
        foreach (var t in p)
            t.Dispose();
        return probe;
    }

    static Tensor[] InitialOne(int d, CcsOptions o, int seed)
    {
        using var g = Seeds.Generator(seed);
        if (o.Kind == ProbeKind.Linear)
        {
            var (w, b) = Layer(d, 1, o.Init, g);
            return [w.reshape(d), b.reshape(new long[0])];
        }
        var (w1, b1) = Layer(d, o.Hidden, o.Init, g);
        var (w2, b2) = Layer(o.Hidden, 1, o.Init, g);
        return [w1, b1, w2.reshape(o.Hidden), b2.reshape(new long[0])];
    }

    /// <summary>One layer's weights [fanIn, fanOut] and biases [fanOut].</summary>
    static (Tensor W, Tensor B) Layer(int fanIn, int fanOut, ProbeInit init, Generator g)
    {
        switch (init)
        {
            case ProbeInit.UnitNorm:
            case ProbeInit.Zero:
                // One random vector per output unit over (weights, bias), scaled to unit norm (Burns' appended-1 bias
                // trick).
                var v = randn(new long[] { fanIn + 1, fanOut }, generator: g);
                v /= v.square().sum(new long[] { 0 }, keepdim: true).sqrt();
                if (init == ProbeInit.Zero)
                    v *= 1e-4;
                return (v.narrow(0, 0, fanIn), v[fanIn]);
            case ProbeInit.Default:
                var bound = 1.0 / Math.Sqrt(fanIn);
                return (
                    (rand(new long[] { fanIn, fanOut }, generator: g) * 2 - 1) * bound,
                    (rand(new long[] { fanOut }, generator: g) * 2 - 1) * bound
                );
            case ProbeInit.TruncatedNormal:
                return (TruncatedNormal(new long[] { fanIn, fanOut }, 1.0 / Math.Sqrt(fanIn), g), zeros(fanOut));
            default:
                throw new ArgumentOutOfRangeException(nameof(init));
        }
    }

    /// <summary>Normal truncated at ±2σ and rescaled so its std is <paramref name="std"/> (Haiku's TruncatedNormal), by
    /// inverting the normal CDF on uniform draws between Φ(−2) and Φ(2).</summary>
    static Tensor TruncatedNormal(long[] shape, double std, Generator g)
    {
        const double lo = 0.022750131948179195,
            hi = 1 - lo,
            truncatedStd = 0.87962566103423978;
        var u = rand(shape, dtype: float64, generator: g) * (hi - lo) + lo;
        return (Math.Sqrt(2) * special.erfinv(2 * u - 1) * (std / truncatedStd)).to(float32);
    }

    /// <summary>Trains <c>options.Restarts</c> restarts (seeds from <see cref="CcsOptions.RestartSeeds"/>)
    /// together.</summary>
    public static CcsFit Train(HiddenPairs train, CcsOptions options, IProgress<CcsProgress>? progress = null) =>
        Train(train, options, options.RestartSeeds(), progress);

    /// <summary>Trains one restart per seed, all in one batch: full-batch AdamW on the sum of the restarts' CCS
    /// losses.</summary>
    public static CcsFit Train(
        HiddenPairs train,
        CcsOptions options,
        IReadOnlyList<int> restartSeeds,
        IProgress<CcsProgress>? progress = null
    )
    {
        train.Validate();
        var init = Initial(train.Dim, options, restartSeeds, train.Device);
        var parameters = init.All.Select(t => new Parameter(t, requires_grad: true)).ToArray();
        var probe =
            options.Kind == ProbeKind.Linear
                ? new CcsProbe(ProbeKind.Linear, parameters[0], parameters[1])
                : new CcsProbe(ProbeKind.Mlp, parameters[0], parameters[1], parameters[2], parameters[3]);
        using var optimizer = optim.AdamW(parameters, options.LearningRate, 0.9, 0.999, 1e-8, options.WeightDecay);
        using var both = cat(new[] { train.Pos, train.Neg });
        var every = Math.Max(1, options.Epochs / 20);
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var losses = probe.LossOnStacked(both, options.Confidence);
            losses.sum().backward(); // each restart's gradient is that of its own loss
            optimizer.step();
            if (progress is not null && (epoch % every == 0 || epoch == options.Epochs))
            {
                var l = losses.detach().cpu().data<float>().ToArray();
                progress.Report(new CcsProgress(epoch, options.Epochs, l.Min(), l.Average()));
            }
        }

        var trained = new CcsProbe(
            probe.Kind,
            probe.W1.detach().clone(),
            probe.B1.detach().clone(),
            probe.W2?.detach().clone(),
            probe.B2?.detach().clone()
        );
        foreach (var p in parameters)
            p.Dispose();
        CcsRestart[] restarts;
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            var pPos = trained.Probabilities(train.Pos);
            var pNeg = trained.Probabilities(train.Neg);
            var cons = CcsLoss.Consistency(pPos, pNeg).cpu().data<float>().ToArray();
            var conf = CcsLoss.Confidence(pPos, pNeg, options.Confidence).cpu().data<float>().ToArray();
            restarts = Enumerable
                .Range(0, restartSeeds.Count)
                .Select(r => new CcsRestart(
                    r,
                    restartSeeds[r],
                    cons[r] + conf[r],
                    cons[r],
                    conf[r],
                    trained.Direction(r),
                    trained.Kind == ProbeKind.Linear ? trained.B1[r].cpu().item<float>() : null
                ))
                .ToArray();
        }
        var best = Enumerable.Range(0, restarts.Length).MinBy(r => restarts[r].Loss);
        return new CcsFit(trained, options, restarts, best);
    }
}
