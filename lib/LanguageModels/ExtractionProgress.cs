namespace ScienceOfDL.LanguageModels;

/// <summary>Progress of a hidden-state extraction: texts done so far out of the total.</summary>
public sealed record ExtractionProgress(int TextsDone, int TextsTotal, TimeSpan Elapsed)
{
    public override string ToString() => $"{TextsDone}/{TextsTotal} texts, {Elapsed.TotalSeconds:F0} s";
}
