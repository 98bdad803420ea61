using ScienceOfDL.Ccs.Analysis;
using ScienceOfDL.Ccs.Baselines;
using ScienceOfDL.Ccs.Probing;
using static TorchSharp.torch;

namespace ScienceOfDL.Ccs.Experiments;

/// <summary>A CCS restart's end point seen in a plane: its weight vector's coordinates along the plane's two unit axes,
/// and the share of its squared length inside the plane.</summary>
public sealed record PlanePoint(int Restart, double A, double B, double ShareInPlane, double Loss, bool IsBest);

/// <summary>CCS loss of the linear probes θ = a·u + b·v (bias <see cref="Bias"/>) on a grid: <c>Loss[i][j]</c> at
/// (A[i], B[j]).</summary>
public sealed record LossLandscape(double[] A, double[] B, double[][] Loss, double Bias, ConfidenceTerm Term)
{
    /// <summary>The grid point with the lowest loss.</summary>
    public (double A, double B, double Loss) Minimum()
    {
        var best = (A: A[0], B: B[0], Loss: double.PositiveInfinity);
        for (var i = 0; i < A.Length; i++)
        for (var j = 0; j < B.Length; j++)
            if (Loss[i][j] < best.Loss)
                best = (A[i], B[j], Loss[i][j]);
        return best;
    }

    /// <summary>
    /// The loss over the square [−radius, radius]² of coefficients (steps × steps points), all grid probes scored in
    /// one batch with <see cref="CcsProbe.Linear"/>. The CCS loss depends on the length of θ, not only on its
    /// direction, so the plane is of weight vectors, in the same units as the trained probes' weights.
    /// </summary>
    public static LossLandscape OverPlane(
        HiddenPairs pairs,
        Tensor u,
        Tensor v,
        double radius,
        int steps,
        ConfidenceTerm term = ConfidenceTerm.Burns,
        double bias = 0
    )
    {
        if (steps < 2)
            throw new ArgumentException("need at least 2 steps per axis", nameof(steps));
        var coords = Enumerable.Range(0, steps).Select(i => -radius + 2 * radius * i / (steps - 1)).ToArray();
        using var scope = NewDisposeScope();
        var c = tensor(coords.Select(x => (float)x).ToArray(), float32, pairs.Device);
        var a = c.repeat_interleave(steps); // row-major: a varies slowest
        var b = c.repeat(steps);
        var weights =
            a.unsqueeze(1) * u.to(float32).to(pairs.Device).unsqueeze(0)
            + b.unsqueeze(1) * v.to(float32).to(pairs.Device).unsqueeze(0);
        var probe = CcsProbe.Linear(weights, full(steps * steps, (float)bias, float32, pairs.Device));
        var flat = Metrics.ToArray(probe.Loss(pairs, term));
        var loss = Enumerable
            .Range(0, steps)
            .Select(i => Enumerable.Range(0, steps).Select(j => (double)flat[i * steps + j]).ToArray())
            .ToArray();
        return new(coords, coords, loss, bias, term);
    }

    /// <summary>The top two principal components of the differences as the plane.</summary>
    public static LossLandscape OverPrincipalPlane(
        HiddenPairs pairs,
        PcaResult pca,
        double radius,
        int steps,
        ConfidenceTerm term = ConfidenceTerm.Burns,
        double bias = 0
    ) => OverPlane(pairs, pca.Components[0], pca.Components[1], radius, steps, term, bias);

    /// <summary>Every restart's trained weights projected on the (orthonormal) axes u, v.</summary>
    public static PlanePoint[] Project(CcsFit fit, Tensor u, Tensor v)
    {
        if (fit.Probes.Kind != ProbeKind.Linear)
            throw new ArgumentException("projection needs linear CCS probes");
        using var scope = NewDisposeScope();
        var w = fit.Probes.W1.detach().to(float32);
        var pa = Metrics.ToArray(matmul(w, u.to(float32).to(w.device)));
        var pb = Metrics.ToArray(matmul(w, v.to(float32).to(w.device)));
        var norm2 = Metrics.ToArray(w.square().sum(1));
        return fit
            .Restarts.Select(r => new PlanePoint(
                r.Index,
                pa[r.Index],
                pb[r.Index],
                (pa[r.Index] * (double)pa[r.Index] + pb[r.Index] * (double)pb[r.Index])
                    / Math.Max(1e-30, norm2[r.Index]),
                r.Loss,
                r.Index == fit.Best
            ))
            .ToArray();
    }

    public static PlanePoint[] Project(CcsFit fit, PcaResult pca) => Project(fit, pca.Components[0], pca.Components[1]);
}
