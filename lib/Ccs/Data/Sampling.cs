namespace ScienceOfDL.Ccs.Data;

/// <summary>Seeded, balanced choices of examples: subsamples and label-stratified coin flips.</summary>
public static class Sampling
{
    /// <summary>The label, the default thing to balance on.</summary>
    public static object ByLabel(Example e) => e.Label;

    /// <summary><paramref name="n"/> examples with (as near as possible) equal counts for every value of
    /// <paramref name="key"/> (default: the label), in a seeded random order. Throws when a group is too
    /// small.</summary>
    public static IReadOnlyList<Example> Balanced(
        IReadOnlyList<Example> examples,
        int n,
        int seed,
        Func<Example, object>? key = null
    ) => Balanced(examples, n, new Random(seed), key);

    public static IReadOnlyList<Example> Balanced(
        IReadOnlyList<Example> examples,
        int n,
        Random rng,
        Func<Example, object>? key = null
    )
    {
        key ??= ByLabel;
        var groups = examples
            .GroupBy(key)
            .OrderBy(g => g.Key.ToString(), StringComparer.Ordinal)
            .Select(g => g.ToArray())
            .ToArray();
        if (n > examples.Count)
            throw new ArgumentException($"asked for {n} examples, only {examples.Count} exist");
        var chosen = new List<Example>(n);
        for (var g = 0; g < groups.Length; g++)
        {
            var want = n / groups.Length + (g < n % groups.Length ? 1 : 0);
            if (want > groups[g].Length)
                throw new ArgumentException(
                    $"a balanced sample of {n} needs {want} examples with key "
                        + $"'{key(groups[g][0])}', only {groups[g].Length} exist"
                );
            rng.Shuffle(groups[g]);
            chosen.AddRange(groups[g].Take(want));
        }
        var result = chosen.ToArray();
        rng.Shuffle(result);
        return result;
    }

    /// <summary>A seeded coin per example, 1 for exactly half of each label (±1), so the coin is independent of the
    /// truth. Used to place distractors ("Banana" vs "Shed", Alice's opinion) as in Farquhar et al.</summary>
    public static int[] StratifiedCoins(IReadOnlyList<Example> examples, Random rng)
    {
        var coins = new int[examples.Count];
        var next = 0;
        foreach (var group in Enumerable.Range(0, examples.Count).GroupBy(i => examples[i].Label).OrderBy(g => g.Key))
        {
            var idx = group.ToArray();
            rng.Shuffle(idx);
            foreach (var i in idx)
                coins[i] = next++ % 2 == 0 ? 1 : 0;
        }
        return coins;
    }
}
