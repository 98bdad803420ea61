using ScienceOfDL.Ccs.Data;

namespace ScienceOfDL.Ccs.Experiments;

/// <summary>A part of a dataset's contrast pairs studied on its own: the pairs of one subset of examples (e.g. the
/// sarcastic reviews) and/or one prompt template; "all" where it is not restricted.</summary>
public sealed record StudySlice(string Subset, string Template, Func<ContrastPair, bool> Contains)
{
    public const string All = "all";

    public override string ToString() => $"{Subset} / {Template}";

    /// <summary>The <see cref="Standard"/> slices of <paramref name="dataset"/>'s <paramref name="pairs"/>, with its
    /// subsets read from its examples as loaded with <paramref name="seed"/>.</summary>
    public static IReadOnlyList<StudySlice> Of(Dataset dataset, IReadOnlyList<ContrastPair> pairs, int seed) =>
        Standard(pairs, dataset.Templates, Subsets(dataset, dataset.Load(seed).Examples));

    /// <summary>
    /// The whole set, then each subset over all templates, then each template over all subsets (not their cross: a
    /// subset under one template is often too small to split). <paramref name="subsetOf"/> names an example's subset
    /// (e.g. its review style), looked up by the pair's id; null studies no subsets.
    /// </summary>
    public static IReadOnlyList<StudySlice> Standard(
        IReadOnlyList<ContrastPair> pairs,
        IReadOnlyList<PromptTemplate> templates,
        Func<string, string>? subsetOf = null
    )
    {
        var slices = new List<StudySlice> { new(All, All, _ => true) };
        if (subsetOf is not null)
            slices.AddRange(
                pairs
                    .Select(p => subsetOf(p.Id))
                    .Distinct()
                    .Order(StringComparer.Ordinal)
                    .Select(s => new StudySlice(s, All, p => subsetOf(p.Id) == s))
            );
        var used = pairs.Select(p => p.Template).ToHashSet();
        if (used.Count > 1)
            slices.AddRange(
                templates
                    .Where(t => used.Contains(t.Id))
                    .Select(t => new StudySlice(All, TemplateName(t), p => p.Template == t.Id))
            );
        return slices;
    }

    /// <summary>
    /// The subsets of a dataset that differ in difficulty, as a map from example id to subset name: movie reviews by
    /// style ("style=sarcastic"), facts by kind ("kind=number"), topics and yes/no questions by the length of their
    /// text ("length=short" below the median word count, "length=long" otherwise). Null for a set without such subsets
    /// (polar statements are all short and plain).
    /// </summary>
    public static Func<string, string>? Subsets(Dataset dataset, IReadOnlyList<Example> examples)
    {
        var byId = examples.ToDictionary(e => e.Id);
        Func<string, string> Field(string field) => id => $"{field}={byId[id][field]}";
        Func<string, string> LengthHalves(string field)
        {
            int Words(Example e) => e[field].Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            var median = examples.Select(Words).Order().ElementAt(examples.Count / 2);
            return id => Words(byId[id]) < median ? "length=short" : "length=long";
        }
        return dataset.Name switch
        {
            "movie-reviews" => Field("style"),
            "facts" => Field("kind"),
            "topics" => LengthHalves("text"),
            "yes-no-questions" => LengthHalves("passage"),
            _ => null,
        };
    }

    /// <summary>"0 sentiment-is": the template's id and name, as the study's rows show it.</summary>
    public static string TemplateName(PromptTemplate t) => $"{t.Id} {t.Name}";
}
