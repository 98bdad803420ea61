namespace ScienceOfDL.Ccs;

/// <summary>One question of a CCS dataset, to be answered both ways in a contrast pair.
/// <see cref="Label"/> is 1 when the FIRST answer of every template (positive / yes / true / choice A) is the correct one.
/// <see cref="Fields"/> holds the dataset's text fields (e.g. "text", "passage", "question", "topic", "choice_a").</summary>
public sealed record Example(string Id, int Label, IReadOnlyDictionary<string, string> Fields)
{
    public string this[string field] =>
        Fields.TryGetValue(field, out var value) ? value : throw new KeyNotFoundException($"Example {Id} has no field '{field}'.");
}

/// <summary>A loaded dataset and what is wrong with it. Loading never silently accepts a set that is too small or
/// unbalanced: such problems are listed in <see cref="Warnings"/> (hard format errors throw <see cref="DatasetFormatException"/>).</summary>
public sealed record DatasetLoad(string Name, string Path, IReadOnlyList<Example> Examples, IReadOnlyList<string> Warnings)
{
    public bool IsClean => Warnings.Count == 0;
    public int Count => Examples.Count;
    public double FractionLabelOne => Examples.Count == 0 ? double.NaN : Examples.Average(e => (double)e.Label);

    /// <summary>For notebooks that must not run on a bad set: throws with every warning listed.</summary>
    public DatasetLoad RequireClean() => IsClean ? this
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
