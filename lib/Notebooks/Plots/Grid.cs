namespace ScienceOfDL.Plots;

/// <summary>Values over a grid for a heatmap or contour plot. <c>Z[i][j]</c> is the value at row <c>Y[i]</c>, column
/// <c>X[j]</c>.</summary>
public sealed record Grid(double[][] Z, IReadOnlyList<object> X, IReadOnlyList<object> Y, bool Contour = false)
{
    public double? ZMin { get; init; }
    public double? ZMax { get; init; }
    public string ColorScale { get; init; } = "Viridis";
    public string? Name { get; init; }
}
