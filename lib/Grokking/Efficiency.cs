namespace ScienceOfDL.Grokking;

/// <summary>The two kinds of network Varma et al. (2023) §5.1 compare (<see cref="EfficiencyStudy"/>), and the crossing
/// of a memorising curve with a generalising level that gives both D_crit and the ungrokking crossing.</summary>
public static class Efficiency
{
    public const string Memorising = "memorising", Generalising = "generalising";

    /// <summary>The D (interpolated in log D) where a memorising quantity crosses the generalising network's value of
    /// it — e.g. the norm needed for a logit (rising with D), or the logit reached at one weight decay (falling with
    /// D). With noisy curves that cross more than once, the crossing at the largest D counts: beyond it memorisation
    /// stays the worse deal. Null if the curve does not cross inside the measured sizes.</summary>
    public static double? CrossingSize(IEnumerable<(int TrainSize, double Value)> memorising, double generalising)
    {
        var pts = memorising.OrderBy(p => p.TrainSize).ToList();
        for (var i = pts.Count - 2; i >= 0; i--)
        {
            var (a, b) = (pts[i].Value - generalising, pts[i + 1].Value - generalising);
            if (b == 0) return pts[i + 1].TrainSize;
            if (a != 0 && Math.Sign(a) != Math.Sign(b))
                return Math.Exp(Interpolate(0, a, b, Math.Log(pts[i].TrainSize), Math.Log(pts[i + 1].TrainSize)));
        }
        return pts.Count == 1 && pts[0].Value == generalising ? pts[0].TrainSize : null;
    }

    static double Interpolate(double x, double x0, double x1, double y0, double y1) => x1 == x0 ? y0 : y0 + (x - x0)
        * (y1 - y0) / (x1 - x0);
}
