using ScienceOfDL.LanguageModels;

namespace ScienceOfDL.Ccs.Data;

/// <summary>One contrast pair: the same prompt answered both ways. <see cref="Positive"/> is x⁺ (ends with the first
/// answer: positive / yes / true / choice A, then any distractor suffix), <see cref="Negative"/> is x⁻ (the second
/// answer). <see cref="Label"/> is 1 when x⁺ is the true one. <see cref="Tags"/> records what a distractor did to this
/// pair, e.g. {"banana": 1}, {"alice": 0} (1 = Alice backs the first answer), {"company": 1, "alice": 0}.
/// <see cref="PositiveAnswer"/> and <see cref="NegativeAnswer"/> mark where each half's answer is (with its leading
/// space), for reading the answer's own tokens; pairs built by hand may leave them out.</summary>
public sealed record ContrastPair(
    string Id,
    string Positive,
    string Negative,
    int Label,
    int Template,
    IReadOnlyDictionary<string, int>? Tags = null,
    AnswerSpan? PositiveAnswer = null,
    AnswerSpan? NegativeAnswer = null
)
{
    /// <summary>The answer x⁺ ends with (e.g. " positive", " Company"), when its span is known.</summary>
    public string? PositiveAnswerText => PositiveAnswer is { } a ? Positive.Substring(a.Start, a.Length) : null;

    /// <summary>The answer x⁻ ends with, when its span is known.</summary>
    public string? NegativeAnswerText => NegativeAnswer is { } a ? Negative.Substring(a.Start, a.Length) : null;

    public int Tag(string name) =>
        Tags is not null && Tags.TryGetValue(name, out var v)
            ? v
            : throw new KeyNotFoundException($"pair {Id} has no tag '{name}'");
}

/// <summary>Builds contrast pairs from examples and templates (Burns et al. §2.2).</summary>
public static class ContrastPairs
{
    /// <summary>Pairs for one template. Everything random comes from <paramref name="seed"/>, in this order: the
    /// few-shot demonstrations (<paramref name="shots"/>, default the distractor's own count or 0; drawn once,
    /// balanced, and removed from the examples so none is asked about its own answer), then the subsample (<paramref
    /// name="take"/> examples, label-balanced; null = all), then one label-stratified coin per example that a <paramref
    /// name="distractor"/> may use. The draws never depend on the template, so one seed gives the same examples, shots
    /// and coins for every template.</summary>
    public static IReadOnlyList<ContrastPair> Build(
        IReadOnlyList<Example> examples,
        PromptTemplate template,
        int seed,
        int? take = null,
        int? shots = null,
        Distractor? distractor = null
    )
    {
        var rng = new Random(seed);
        var shotCount = shots ?? distractor?.Shots ?? 0;
        var demonstrations = shotCount == 0 ? [] : Sampling.Balanced(examples, shotCount, rng, distractor?.ShotKey);
        var shotIds = demonstrations.Select(e => e.Id).ToHashSet();
        var pool = examples.Where(e => !shotIds.Contains(e.Id)).ToArray();
        IReadOnlyList<Example> chosen = take is int n ? Sampling.Balanced(pool, n, rng) : pool;
        var coins = Sampling.StratifiedCoins(chosen, rng);

        var writeShot = distractor?.WriteShot ?? ((e, t) => t.RenderCorrect(e));
        var shotsPrefix = string.Concat(demonstrations.Select(e => writeShot(e, template) + "\n\n"));

        var pairs = new List<ContrastPair>(chosen.Count);
        for (var i = 0; i < chosen.Count; i++)
        {
            var e = chosen[i];
            var (first, second) = template.Answers(e);
            var d = distractor is null
                ? new Decorated(shotsPrefix + template.Stem(e), "", null)
                : distractor.Apply(new DistractorInput(e, template, coins[i], shotsPrefix));
            var firstAnswer = new AnswerSpan(d.Stem.Length, first.Length);
            var secondAnswer = new AnswerSpan(d.Stem.Length, second.Length);
            pairs.Add(
                new ContrastPair(
                    e.Id,
                    d.Stem + first + d.Suffix,
                    d.Stem + second + d.Suffix,
                    e.Label,
                    template.Id,
                    d.Tags,
                    firstAnswer,
                    secondAnswer
                )
            );
        }
        return pairs;
    }

    /// <summary>Pairs for several templates (e.g. all of a dataset's), concatenated template by template; the same seed
    /// picks the same examples, shots and coins for each.</summary>
    public static IReadOnlyList<ContrastPair> Build(
        IReadOnlyList<Example> examples,
        IReadOnlyList<PromptTemplate> templates,
        int seed,
        int? take = null,
        int? shots = null,
        Distractor? distractor = null
    ) => templates.SelectMany(t => Build(examples, t, seed, take, shots, distractor)).ToList();

    /// <summary>A dataset's contrast pairs: its examples (checked clean) under the given templates, <paramref
    /// name="take"/> label-balanced examples or all, drawn by <paramref name="seed"/>. Cheap: no model runs.</summary>
    public static IReadOnlyList<ContrastPair> ForDataset(
        Dataset dataset,
        IEnumerable<PromptTemplate> templates,
        int? take = null,
        int seed = 0,
        Distractor? distractor = null
    ) => Build(dataset.Load(seed).RequireClean().Examples, templates.ToList(), seed, take, distractor: distractor);

    /// <summary>Whether some template of these pairs answers with other words than one fixed pair (topics: the topic
    /// names offered), so that <see cref="Probing.Centring.PerAnswerWord"/> differs from per-half centring.</summary>
    public static bool AnswerWordsVary(IReadOnlyList<ContrastPair> pairs) =>
        pairs
            .GroupBy(p => p.Template)
            .Any(g =>
                g.Select(p => p.PositiveAnswerText).Distinct().Count() > 1
                || g.Select(p => p.NegativeAnswerText).Distinct().Count() > 1
            );

    /// <summary>The distinct answers of one template's pairs, both halves, in order of first appearance.</summary>
    public static IReadOnlyList<string> AnswerWords(IReadOnlyList<ContrastPair> pairs, int template) =>
        pairs
            .Where(p => p.Template == template)
            .SelectMany(p => new[] { p.PositiveAnswerText, p.NegativeAnswerText })
            .OfType<string>()
            .Distinct()
            .ToList();

    /// <summary>16 hex digits of SHA-256 over every pair's id, texts, label, template and tags: what a result computed
    /// from these pairs is keyed by, so any change to the data, the prompts or the sampling gives another
    /// key.</summary>
    public static string Fingerprint(IReadOnlyList<ContrastPair> pairs)
    {
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(
            System.Security.Cryptography.HashAlgorithmName.SHA256
        );
        void Add(string s)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(s);
            sha.AppendData(BitConverter.GetBytes(bytes.Length));
            sha.AppendData(bytes);
        }
        foreach (var p in pairs)
        {
            Add(p.Id);
            Add(p.Positive);
            Add(p.Negative);
            Add($"{p.Label} {p.Template}");
            Add(
                string.Join(
                    ",",
                    (p.Tags ?? new Dictionary<string, int>()).OrderBy(t => t.Key).Select(t => $"{t.Key}={t.Value}")
                )
            );
        }
        return Convert.ToHexString(sha.GetHashAndReset())[..16].ToLowerInvariant();
    }
}
