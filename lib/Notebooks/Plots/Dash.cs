namespace ScienceOfDL.Plots;

/// <summary>Line style of a series.</summary>
public enum Dash
{
    Solid,
    Dot,
    Dash,
    DashDot,
}
