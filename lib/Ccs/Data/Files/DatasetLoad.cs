namespace ScienceOfDL.Ccs.Data;

/// <summary>A loaded dataset and what is wrong with it. Loading never silently accepts a set that is too small or
/// unbalanced: such problems are listed in <see cref="Warnings"/> (hard format errors throw <see
/// cref="DatasetFormatException"/>).</summary>
public sealed record DatasetLoad(
    string Name,
    string Path,
    IReadOnlyList<Example> Examples,
    IReadOnlyList<string> Warnings
)
{
    public bool IsClean => Warnings.Count == 0;
    public int Count => Examples.Count;
    public double FractionLabelOne => Examples.Count == 0 ? double.NaN : Examples.Average(e => (double)e.Label);

    /// <summary>For notebooks that must not run on a bad set: throws with every warning listed.</summary>
    public DatasetLoad RequireClean() =>
        IsClean
            ? this
            : throw new InvalidDataException($"{Name} ({Path}) failed its checks:\n  " + string.Join("\n  ", Warnings));
}

/// <summary>A data file that cannot be read as written: names the file and the 1-based line.</summary>
public sealed class DatasetFormatException(string file, int line, string problem)
    : FormatException($"{file}, line {line}: {problem}")
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public string Problem { get; } = problem;
}
