namespace ScienceOfDL.Plots;

/// <summary>An axis: its title, log scale, a fixed range (in data units, also on a log axis), or a range from
/// zero.</summary>
public sealed record Axis(
    string? Title = null,
    bool Log = false,
    (double Min, double Max)? Range = null,
    bool FromZero = false
);
