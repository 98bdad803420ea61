using ScienceOfDL.Ccs.Baselines;
using static TorchSharp.torch;

namespace ScienceOfDL.Ccs.Experiments;

/// <summary>
/// The CCS loss over a plane of probe weights θ = a·u + b·v (bias 0), on a square grid wide enough to hold every
/// restart's trained weights (1.25 times the largest coordinate), with those weights projected on the plane.
/// </summary>
public sealed record PlaneView(LossLandscape Land, PlanePoint[] Points)
{
    /// <summary>The plane of the orthonormal axes <paramref name="u"/>, <paramref name="v"/>, on a grid of
    /// <paramref name="gridPoints"/> × <paramref name="gridPoints"/> probes scored with the fit's own loss.</summary>
    public static PlaneView Of(Comparison cmp, Tensor u, Tensor v, int gridPoints)
    {
        var points = LossLandscape.Project(cmp.Ccs, u, v);
        var radius = 1.25 * points.Max(p => Math.Max(Math.Abs(p.A), Math.Abs(p.B)));
        return new(LossLandscape.OverPlane(cmp.Train, u, v, radius, gridPoints, cmp.Ccs.Options.Confidence), points);
    }

    /// <summary>The plane of the top two principal components.</summary>
    public static PlaneView OfPrincipal(Comparison cmp, PcaResult pca, int gridPoints) =>
        Of(cmp, pca.Components[0], pca.Components[1], gridPoints);

    /// <summary>The plane that holds both answers: PC1 and the lowest-loss CCS restart's direction (its part
    /// orthogonal to PC1, as the second unit axis).</summary>
    public static PlaneView OfPc1AndBestCcs(Comparison cmp, PcaResult pca, int gridPoints)
    {
        var pc1 = pca.Components[0];
        var ccs = DirectionDecomposition.Unit(cmp.Ccs.Restarts[cmp.Ccs.Best].Direction!);
        var ortho = ccs - (ccs * pc1).sum() * pc1;
        return Of(cmp, pc1, ortho / ortho.norm(), gridPoints);
    }

    /// <summary>The grid's lowest loss and where, the restarts' training losses, and how much of their weight lies in
    /// the plane, in a sentence.</summary>
    public string Describe()
    {
        var min = Land.Minimum();
        return $"grid minimum {min.Loss:F3} at (a, b) = ({min.A:F2}, {min.B:F2}); restarts' training losses "
            + $"{Points.Min(p => p.Loss):F3}–{Points.Max(p => p.Loss):F3}; "
            + $"share of the restarts' weight in the plane: mean {Points.Average(p => p.ShareInPlane):P0}";
    }
}
