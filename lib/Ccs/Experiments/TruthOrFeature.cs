using ScienceOfDL.Statistics;

namespace ScienceOfDL.Ccs.Experiments;

/// <summary>One method's kept scores (for CCS the lowest-loss restart) on a comparison's test pairs, read twice: as
/// answers to the truth, and as answers to a binary feature of the question (e.g. "is this a number comparison?"),
/// each orientation chosen on those pairs as both papers do, with its 95% Wilson interval. A method whose
/// <see cref="Feature"/> is near 1 has found the feature, not the truth.</summary>
public sealed record TruthOrFeature(string Method, Interval Truth, Interval Feature)
{
    /// <summary>A row per method of <paramref name="comparison"/>; <paramref name="feature"/> holds one 0/1 bit per
    /// test pair.</summary>
    public static List<TruthOrFeature> Of(Comparison comparison, int[] feature) =>
        Of(comparison.Methods, comparison.Test.Labels, feature);

    /// <summary>A row per method: <paramref name="labels"/> (the truth) and <paramref name="feature"/> hold one 0/1
    /// bit per scored pair.</summary>
    public static List<TruthOrFeature> Of(IEnumerable<MethodScores> methods, int[] labels, int[] feature)
    {
        if (feature.Length != labels.Length)
            throw new ArgumentException($"{feature.Length} feature bits for {labels.Length} pairs", nameof(feature));
        return methods
            .Select(m => new TruthOrFeature(
                m.Method,
                Proportion.Wilson(m.Accuracy(labels).Value, labels.Length),
                Proportion.Wilson(m.Accuracy(feature).Value, labels.Length)
            ))
            .ToList();
    }
}
