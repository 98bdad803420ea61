using ScienceOfDL.Ccs.Data;

namespace ScienceOfDL.Ccs.Experiments;

/// <summary>A part of a dataset's contrast pairs studied on its own: the pairs of one subset of examples (e.g. the
/// sarcastic reviews) and/or one prompt template; "all" where it is not restricted.</summary>
public sealed record StudySlice(string Subset, string Template, Func<ContrastPair, bool> Contains)
{
    public const string All = "all";

    public override string ToString() => $"{Subset} / {Template}";

    /// <summary>
    /// The whole set, then each subset over all templates, then each template over all subsets (not their cross: a
    /// subset under one template is often too small to split). <paramref name="subsetOf"/> names an example's subset
    /// (e.g. its review style), looked up by the pair's id; null studies no subsets.
    /// </summary>
    public static IReadOnlyList<StudySlice> Standard(IReadOnlyList<ContrastPair> pairs,
        IReadOnlyList<PromptTemplate> templates, Func<string, string>? subsetOf = null)
    {
        var slices = new List<StudySlice> { new(All, All, _ => true) };
        if (subsetOf is not null)
            slices.AddRange(pairs.Select(p => subsetOf(p.Id)).Distinct().Order(StringComparer.Ordinal)
                .Select(s => new StudySlice(s, All, p => subsetOf(p.Id) == s)));
        var used = pairs.Select(p => p.Template).ToHashSet();
        if (used.Count > 1)
            slices.AddRange(templates.Where(t => used.Contains(t.Id))
                .Select(t => new StudySlice(All, TemplateName(t), p => p.Template == t.Id)));
        return slices;
    }

    /// <summary>"0 sentiment-is": the template's id and name, as the study's rows show it.</summary>
    public static string TemplateName(PromptTemplate t) => $"{t.Id} {t.Name}";
}
