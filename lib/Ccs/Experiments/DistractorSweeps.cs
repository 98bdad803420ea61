using ScienceOfDL.Ccs.Probing;
using ScienceOfDL.Results;
using ScienceOfDL.Statistics;

namespace ScienceOfDL.Ccs.Experiments;

/// <summary>One method/seed's scores at one layer under one prompt set ("default", "banana/shed"...).</summary>
public sealed record LayerScore(string Prompts, int Layer, DistractorScore Score);

/// <summary>One method/seed's scores with the distractor's opinion stated <see cref="Mentions"/> times.</summary>
public sealed record MentionScore(int Mentions, DistractorScore Score);

/// <summary>One method at one layer under one prompt set: mean truth and banana accuracy over its seeds, and the
/// lowest-loss seed's (CCS only).</summary>
public sealed record LayerMean(
    string Prompts,
    int Layer,
    string Method,
    double Truth,
    double Banana,
    double? LowestLossSeedTruth,
    double? LowestLossSeedBanana
);

/// <summary>One method at one mention count: mean truth and Alice accuracy over its seeds, and how many follow
/// Alice.</summary>
public sealed record MentionMean(int Mentions, string Method, double Truth, double Alice, int Following);

/// <summary>CCS at one layer under one prompt set: mean and lowest-loss seed's truth and banana accuracy, how many CCS
/// seeds and untrained probes follow the word (Fisher's one-sided test), PCA's and LR's truth accuracy.</summary>
public sealed record LayerFollowing(
    string Prompts,
    int Layer,
    double CcsMeanTruth,
    double CcsLowestLossSeedTruth,
    double CcsMeanBanana,
    double CcsLowestLossSeedBanana,
    int CcsFollowing,
    int UntrainedFollowing,
    double PFisherVsUntrained,
    double Pca,
    double Lr
);

/// <summary>Notebook 02's sweeps of one distractor setting over layers or mention counts, saved through a
/// <see cref="ResultsStore"/>, each row carrying its layer or count as a typed field.</summary>
public static class DistractorSweeps
{
    /// <summary>The setting name a layer's run is saved under ("layer 3").</summary>
    public static string LayerSetting(int layer) => $"layer {layer}";

    /// <summary>The setting name a mention count's run is saved under ("2 mentions").</summary>
    public static string MentionSetting(int mentions) => $"{mentions} mentions";

    /// <summary>Every layer of <paramref name="layers"/> under <paramref name="key"/>: <paramref name="run"/> gets the
    /// setting name and the layer.</summary>
    public static List<LayerScore> Layers(
        ResultsStore store,
        ResultKey key,
        string prompts,
        IReadOnlyList<int> layers,
        Func<string, int, DistractorRun> run
    )
    {
        var layerOf = layers.ToDictionary(LayerSetting);
        return store
            .SweepMany(key, layers, l => run(LayerSetting(l), l).Scores)
            .Select(r => new LayerScore(prompts, layerOf[r.Setting], r))
            .ToList();
    }

    /// <summary>The same for one prompt set's pairs, extracted (<paramref name="extract"/>) only when a layer is
    /// computed, each layer's run on one thread against the bits <paramref name="distractor"/>.</summary>
    public static List<LayerScore> Layers(
        ResultsStore store,
        ResultKey key,
        string prompts,
        IReadOnlyList<int> layers,
        Func<PairActivations> extract,
        int[] distractor,
        CcsOptions options,
        int splitSeed,
        TorchSharp.torch.Device? device,
        Scaling scaling,
        Centring centring = Centring.PerHalf
    )
    {
        PairActivations? acts = null;
        return Layers(store, key, prompts, layers, (setting, l) =>
        {
            acts ??= extract();
            return TorchThreads.One(() =>
                DistractorExperiment.Run(
                    setting,
                    acts,
                    l,
                    distractor,
                    options,
                    splitSeed,
                    device,
                    scaling: scaling,
                    centring: centring
                )
            );
        });
    }

    /// <summary>Every count of <paramref name="mentions"/> under <paramref name="key"/>, each job keyed by its count
    /// and its pairs' fingerprint (<paramref name="pairs"/>); <paramref name="run"/> gets the setting name and the
    /// count.</summary>
    public static List<MentionScore> Mentions(
        ResultsStore store,
        ResultKey key,
        IReadOnlyList<int> mentions,
        Func<int, string> pairs,
        Func<string, int, DistractorRun> run
    )
    {
        var countOf = mentions.ToDictionary(MentionSetting);
        return store
            .SweepMany(key, mentions.Select(k => new MentionJob(k, pairs(k))), job =>
                run(MentionSetting(job.Mentions), job.Mentions).Scores
            )
            .Select(r => new MentionScore(countOf[r.Setting], r))
            .ToList();
    }

    /// <summary>A mention sweep's job (its JSON keys the saved rows: the names must not change).</summary>
    public sealed record MentionJob(int Mentions, string Pairs);

    /// <summary>One row per prompt set × layer × method of <paramref name="methods"/>, in the order the rows
    /// come.</summary>
    public static List<LayerMean> LayerMeans(IEnumerable<LayerScore> rows, IReadOnlyCollection<string> methods) =>
        rows.Where(r => methods.Contains(r.Score.Method))
            .GroupBy(r => (r.Prompts, r.Layer, r.Score.Method))
            .Select(g => new LayerMean(
                g.Key.Prompts,
                g.Key.Layer,
                g.Key.Method,
                g.Average(s => s.Score.Truth),
                g.Average(s => s.Score.Distractor),
                g.FirstOrDefault(s => s.Score.IsBest)?.Score.Truth,
                g.FirstOrDefault(s => s.Score.IsBest)?.Score.Distractor
            ))
            .ToList();

    /// <summary>One row per mention count × method of <paramref name="methods"/>, in the order the rows come.
    /// </summary>
    public static List<MentionMean> MentionMeans(
        IEnumerable<MentionScore> rows,
        IReadOnlyCollection<string> methods,
        double threshold
    ) =>
        rows.Where(r => methods.Contains(r.Score.Method))
            .GroupBy(r => (r.Mentions, r.Score.Method))
            .Select(g => new MentionMean(
                g.Key.Mentions,
                g.Key.Method,
                g.Average(s => s.Score.Truth),
                g.Average(s => s.Score.Distractor),
                g.Count(s => s.Score.Follows(threshold))
            ))
            .ToList();

    /// <summary>One row per prompt set × layer; Fisher's test compares <paramref name="seeds"/> CCS seeds with as many
    /// untrained probes.</summary>
    public static List<LayerFollowing> Following(IEnumerable<LayerScore> rows, double threshold, int seeds) =>
        rows.GroupBy(r => (r.Prompts, r.Layer))
            .Select(g =>
            {
                var all = g.Select(r => r.Score).ToList();
                var ccs = all.Where(r => r.Method == MethodNames.Ccs).ToList();
                var best = ccs.Single(r => r.IsBest);
                var (k, u) = (
                    ccs.Count(r => r.Follows(threshold)),
                    all.Count(r => r.Method == MethodNames.Random && r.Follows(threshold))
                );
                return new LayerFollowing(
                    g.Key.Prompts,
                    g.Key.Layer,
                    ccs.Average(r => r.Truth),
                    best.Truth,
                    ccs.Average(r => r.Distractor),
                    best.Distractor,
                    k,
                    u,
                    HypothesisTests.FisherGreater(k, seeds, u, seeds),
                    all.Single(r => r.Method == MethodNames.Pca).Truth,
                    all.Single(r => r.Method == MethodNames.LrPair).Truth
                );
            })
            .ToList();
}
