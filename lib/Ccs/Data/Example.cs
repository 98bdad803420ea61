namespace ScienceOfDL.Ccs.Data;

/// <summary>One question of a CCS dataset, to be answered both ways in a contrast pair.
/// <see cref="Label"/> is 1 when the FIRST answer of every template (positive / yes / true / choice A) is the correct
/// one.
/// <see cref="Fields"/> holds the dataset's text fields (e.g. "text", "passage", "question", "topic",
/// "choice_a").</summary>
public sealed record Example(string Id, int Label, IReadOnlyDictionary<string, string> Fields)
{
    public string this[string field] =>
        Fields.TryGetValue(field, out var value)
            ? value
            : throw new KeyNotFoundException($"Example {Id} has no field '{field}'.");
}
