using System.Globalization;

namespace ScienceOfDL.Statistics;

/// <summary>An estimate with a (usually 95%) interval around it, e.g. an accuracy and its Wilson interval. Prints as
/// "0.71 [0.65, 0.77]", with as many decimals as the interval's width makes meaningful.</summary>
public sealed record Interval(double Value, double Lower, double Upper)
{
    public double Width => Upper - Lower;

    public bool Contains(double x) => Lower <= x && x <= Upper;

    /// <summary>Decimals worth printing: two significant digits of the width (0.12 → 2 decimals, 0.012 → 3).</summary>
    public int Decimals =>
        Width > 0 && double.IsFinite(Width) ? Math.Clamp(1 - (int)Math.Floor(Math.Log10(Width)), 0, 6)
        : Value == 0 || !double.IsFinite(Value) ? 2
        : Math.Clamp(2 - (int)Math.Floor(Math.Log10(Math.Abs(Value))), 0, 6); // no width: three significant digits

    public override string ToString()
    {
        var f = "F" + Decimals;
        string S(double x) => x.ToString(f, CultureInfo.InvariantCulture);
        return $"{S(Value)} [{S(Lower)}, {S(Upper)}]";
    }
}
