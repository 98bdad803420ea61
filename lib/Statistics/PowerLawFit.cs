using MathNet.Numerics;

namespace ScienceOfDL.Statistics;

/// <summary>A power law y = Coefficient·x^Exponent, fitted by least squares on log y against log x (MathNet's
/// <see cref="Fit.Power"/>), with R² in log space. Points with x ≤ 0 or y ≤ 0 have no logarithm and are left
/// out.</summary>
public sealed record PowerLawFit(double Coefficient, double Exponent, double RSquared, int Points)
{
    public static PowerLawFit Of(IEnumerable<double> x, IEnumerable<double> y)
    {
        var (xs, ys) = (x.ToArray(), y.ToArray());
        if (xs.Length != ys.Length) throw new ArgumentException($"{xs.Length} x values for {ys.Length} y values");
        var keep = Enumerable.Range(0, xs.Length).Where(i => xs[i] > 0 && ys[i] > 0).ToArray();
        var (px, py) = (keep.Select(i => xs[i]).ToArray(), keep.Select(i => ys[i]).ToArray());
        if (px.Distinct().Count() < 2) throw new ArgumentException("a power law needs two positive, distinct x values");
        var (a, b) = Fit.Power(px, py);
        var r2 = GoodnessOfFit.RSquared(px.Select(v => Math.Log(a) + b * Math.Log(v)), py.Select(v => Math.Log(v)));
        return new PowerLawFit(a, b, r2, px.Length);
    }

    /// <summary>Null instead of an exception when fewer than two usable points remain.</summary>
    public static PowerLawFit? TryOf(IEnumerable<double> x, IEnumerable<double> y)
    {
        var pts = x.Zip(y).Where(p => p.First > 0 && p.Second > 0).ToArray();
        return pts.Select(p => p.First).Distinct().Count() < 2
            ? null : Of(pts.Select(p => p.First), pts.Select(p => p.Second));
    }

    public double At(double x) => Coefficient * Math.Pow(x, Exponent);

    /// <summary>The x where the law reaches <paramref name="y"/> (null for a zero exponent or y ≤ 0).</summary>
    public double? XAt(double y) => Exponent == 0 || y <= 0 ? null : Math.Pow(y / Coefficient, 1 / Exponent);
}
