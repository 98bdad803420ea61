namespace ScienceOfDL.Ccs.Data;

/// <summary>The size and balance checks every dataset goes through after loading (issue 6: sets must be balanced and at
/// least a minimum size). They return readable warnings instead of throwing, so a notebook can show them.</summary>
public static class DatasetChecks
{
    /// <summary>How far the share of label 1 may stray from one half before the set counts as unbalanced.</summary>
    public const double BalanceTolerance = 0.05;

    public static List<string> SizeAndBalance(IReadOnlyList<Example> examples, int minimumSize)
    {
        var warnings = new List<string>();
        if (examples.Count < minimumSize)
            warnings.Add($"too small: {examples.Count} examples, at least {minimumSize} expected");
        if (examples.Count > 0)
        {
            var ones = examples.Count(e => e.Label == 1);
            var share = (double)ones / examples.Count;
            if (Math.Abs(share - 0.5) > BalanceTolerance)
                warnings.Add(
                    $"unbalanced labels: {ones} of {examples.Count} have label 1 ({share:P1}); allowed 50% ± "
                        + $"{BalanceTolerance:P0}"
                );
        }
        return warnings;
    }

    /// <summary>Warns when some group (topic, style, kind) is far from the mean group size: below <paramref
    /// name="minShare"/> or above 2 − minShare times the mean.</summary>
    public static List<string> GroupBalance(IReadOnlyList<Example> examples, string field, double minShare = 0.75)
    {
        var warnings = new List<string>();
        var counts = examples.GroupBy(e => e[field]).ToDictionary(g => g.Key, g => g.Count());
        if (counts.Count == 0)
            return warnings;
        var mean = counts.Values.Average();
        foreach (var (value, n) in counts.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            if (n < minShare * mean || n > (2 - minShare) * mean)
                warnings.Add($"unbalanced {field}: '{value}' has {n} examples, the mean is {mean:F0}");
        return warnings;
    }
}
