using ScienceOfDL.Ccs.Probing;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ScienceOfDL.Ccs.Baselines;

/// <summary>A BSS direction: the lowest-loss unit vector found, and every restart's final loss.</summary>
public sealed record BssResult(Tensor Direction, double Loss, double[] RestartLosses)
{
    /// <summary>Thresholds the projected difference at 0, as in Burns App. G.5.</summary>
    public LinearScorer Scorer() => LinearScorer.OnDifference(Direction.clone());
}

/// <summary>
/// Bimodal Salience Search (Burns et al. App. G.5), the LDA-like variant of CRC: find a unit θ that makes the projected
/// differences zᵢ = θᵀ(x⁺ᵢ − x⁻ᵢ) two tight clusters either side of 0, by minimising
/// L(θ) = [var{zᵢ | zᵢ &lt; 0} + var{zᵢ | zᵢ ≥ 0}] / var{zᵢ}, which is invariant to the scale of θ (unlike PCA's
/// variance). Because the two sides depend on θ this is not a plain generalised eigenproblem; as in the paper we use
/// projected Adam (lr 0.1, T = 20 restarts × E = 20 epochs, unit-norm random starts, keep the lowest loss), all
/// restarts in one batch.
/// </summary>
public static class Bss
{
    public static BssResult Fit(
        HiddenPairs train,
        int restarts = 20,
        int epochs = 20,
        double learningRate = 0.1,
        int seed = 0
    )
    {
        train.Validate();
        var c = train.Differences();
        var starts = Enumerable
            .Range(0, restarts)
            .Select(r =>
            {
                using var g = Seeds.Generator(Seeds.Derive(seed, r));
                return randn(new long[] { train.Dim }, generator: g);
            })
            .ToArray();
        var start = stack(starts).to(train.Device);
        foreach (var s in starts)
            s.Dispose();
        start /= start.norm(1, keepdim: true);
        var theta = new Parameter(start, requires_grad: true);
        using var optimizer = optim.Adam(new[] { theta }, learningRate);
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            Loss(theta, c).sum().backward();
            optimizer.step();
            using (no_grad())
                theta.div_(theta.norm(1, keepdim: true));
        }
        using (no_grad())
        {
            using var scope = NewDisposeScope();
            var losses = Loss(theta, c).cpu().data<float>().Select(l => (double)l).ToArray();
            var best = Enumerable.Range(0, restarts).MinBy(r => losses[r]);
            var direction = theta[best].detach().clone().MoveToOuterDisposeScope();
            theta.Dispose();
            return new BssResult(direction, losses[best], losses);
        }
    }

    /// <summary>The BSS loss of each row of θ [R, d] on differences c [n, d]: [R].</summary>
    public static Tensor Loss(Tensor theta, Tensor c)
    {
        var z = matmul(theta, c.t()); // [R, n]
        using var below = (z < 0).to(z.dtype);
        return (SideVariance(z, below) + SideVariance(z, 1 - below)) / z.var(1, unbiased: false).clamp_min(1e-12);
    }

    static Tensor SideVariance(Tensor z, Tensor mask)
    {
        var count = mask.sum(1, keepdim: true).clamp_min(1);
        var mean = (z * mask).sum(1, keepdim: true) / count;
        return ((z - mean).square() * mask).sum(1) / count.squeeze(1);
    }
}
