using ScienceOfDL.Statistics;

namespace ScienceOfDL.Grokking;

/// <summary>How a row of <see cref="CriticalSizeComparison"/> estimates D_crit.</summary>
public enum CriticalSizeMethod
{
    /// <summary>Ungrokking: the dataset size where grokked networks' test accuracy falls through 0.5.</summary>
    Ungrokking,

    /// <summary>Efficiency: the size where memorising networks need as much norm as generalising ones.</summary>
    Efficiency,
}

/// <summary>One estimate of D_crit in the comparison of notebook 05: by which method, at which setting, the reading
/// ("262 [240, 290]", or where it lies when there is no crossing) and its interval.</summary>
public sealed record CriticalSizeRow(
    CriticalSizeMethod Method,
    string Setting,
    string Reading,
    double? Lower,
    double? Upper
);

/// <summary>Varma et al. predict that ungrokking sets in at D_crit, the size where the circuits are equally efficient,
/// whatever the weight decay: the ungrokking crossings per weight decay beside the efficiency study's D_crit per logit
/// level, in one table, and whether all their intervals overlap.</summary>
public sealed record CriticalSizeComparison(
    List<CriticalSizeRow> Rows,
    bool Agree,
    string Verdict,
    string UngrokkingReading
)
{
    public static CriticalSizeComparison Of(
        IReadOnlyList<UngrokkingCrossing> crossings,
        IReadOnlyList<CriticalSizeAtLogit> efficiency
    )
    {
        var rows = crossings
            .Select(c => new CriticalSizeRow(
                CriticalSizeMethod.Ungrokking,
                $"weight decay {c.WeightDecay}",
                c.Interval?.ToString() ?? "no crossing",
                c.Interval?.Lower,
                c.Interval?.Upper
            ))
            .Concat(
                efficiency.Select(e => new CriticalSizeRow(
                    CriticalSizeMethod.Efficiency,
                    $"logit {e.Logit}",
                    e.Reading,
                    e.Interval?.Lower,
                    e.Interval?.Upper
                ))
            )
            .ToList();
        var ungrokkingRows = rows.Where(r => r.Method == CriticalSizeMethod.Ungrokking).ToList();
        var efficiencyRows = rows.Where(r => r.Method == CriticalSizeMethod.Efficiency).ToList();
        static bool Overlap(IReadOnlyList<CriticalSizeRow> rs) =>
            rs.Count > 0
            && rs.All(r => r.Lower is not null)
            && rs.Max(r => r.Lower!.Value) <= rs.Min(r => r.Upper!.Value);
        var crossingsAgree = Overlap(ungrokkingRows);
        var agree = ungrokkingRows.Count > 0 && efficiencyRows.Count > 0 && Overlap(rows);
        var first = crossingsAgree
            ? "the ungrokking crossings agree across weight decays"
            : "the ungrokking crossings differ between weight decays (or one does not cross)";
        var verdict =
            efficiencyRows.Count == 0 ? $"Of the two predictions, only one can be checked here: {first}."
            : agree
                ? "Every interval overlaps every other: ungrokking sets in where the circuits are equally "
                    + "efficient, whatever the weight decay, as Varma et al. predict."
            : efficiencyRows.Any(r => r.Lower is null)
                ? $"{Capital(first)}; the efficiency study gives no D_crit inside its sizes at some logit level, so "
                    + "the two cannot be matched there."
            : $"{Capital(first)}, but the efficiency D_crit does not lie where they do: the intervals do not all "
                + "overlap.";
        var ungrokking = crossings.Where(c => c.Crossing is not null).ToList();
        var reading =
            ungrokking.Count == 0
                ? "(no crossing)"
                : $"{ungrokking.Min(c => c.Crossing!.Value):F0}–{ungrokking.Max(c => c.Crossing!.Value):F0}";
        return new CriticalSizeComparison(rows, agree, verdict, reading);
    }

    static string Capital(string s) => char.ToUpperInvariant(s[0]) + s[1..];
}
