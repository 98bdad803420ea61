using MathNet.Numerics;

namespace ScienceOfDL.Statistics;

/// <summary>A least-squares line y = Intercept + Slope·x (MathNet's <see cref="Fit.Line"/>), with its R².</summary>
public sealed record LineFit(double Intercept, double Slope, double RSquared, int Points)
{
    public static LineFit Of(IEnumerable<double> x, IEnumerable<double> y)
    {
        var (xs, ys) = (x.ToArray(), y.ToArray());
        if (xs.Length != ys.Length)
            throw new ArgumentException($"{xs.Length} x values for {ys.Length} y values");
        if (xs.Distinct().Count() < 2)
            throw new ArgumentException("a line needs two distinct x values");
        var (intercept, slope) = Fit.Line(xs, ys);
        var r2 = GoodnessOfFit.RSquared(xs.Select(v => intercept + slope * v), ys);
        return new LineFit(intercept, slope, r2, xs.Length);
    }

    public double At(double x) => Intercept + Slope * x;

    /// <summary>The x where the line reaches <paramref name="y"/> (null for a flat line).</summary>
    public double? XAt(double y) => Slope == 0 ? null : (y - Intercept) / Slope;

    /// <summary>The x where this line and <paramref name="other"/> cross (null if parallel).</summary>
    public double? Crossing(LineFit other) =>
        Slope == other.Slope ? null : (other.Intercept - Intercept) / (Slope - other.Slope);
}
