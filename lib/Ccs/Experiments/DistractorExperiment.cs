using ScienceOfDL.Ccs.Analysis;
using ScienceOfDL.Ccs.Baselines;
using ScienceOfDL.Ccs.Data;
using ScienceOfDL.Ccs.Probing;
using ScienceOfDL.LanguageModels;
using ScienceOfDL.Results;

namespace ScienceOfDL.Ccs.Experiments;

/// <summary>One method (one seed of it, for CCS and random probes) in one setting: its truth-disambiguated accuracy on
/// the ground truth and on the distractor (each oriented on its own, as Farquhar et al. plot them), and for CCS the
/// seed's training loss and whether it is the lowest-loss seed (the one Burns et al. would keep).</summary>
public sealed record DistractorScore(
    string Setting,
    string Method,
    int Seed,
    bool IsBest,
    double Truth,
    double Distractor,
    double? TrainLoss
)
{
    /// <summary>Whether this method/seed follows the distractor rather than the truth: its distractor accuracy is at
    /// least
    /// <paramref name="threshold"/> and above its truth accuracy (the one rule every "following" count uses).</summary>
    public bool Follows(double threshold = 0.75) => Distractor >= threshold && Distractor > Truth;

    /// <summary>The share of <paramref name="scores"/> that follow the distractor.</summary>
    public static double FractionFollowing(IEnumerable<DistractorScore> scores, double threshold = 0.75) =>
        scores.Average(s => s.Follows(threshold) ? 1.0 : 0.0);
}

/// <summary>A setting's comparison and its scores, one row per method and seed.</summary>
public sealed record DistractorRun(
    string Setting,
    Comparison Comparison,
    IReadOnlyList<DistractorScore> Scores,
    int[] TrainDistractor,
    int[] TestDistractor
)
{
    public IEnumerable<DistractorScore> Of(string method) => Scores.Where(s => s.Method == method);

    /// <summary>The one score a table keeps for <paramref name="method"/>: its single fit, for CCS the lowest-loss seed
    /// (Burns' rule), for untrained probes seed 0.</summary>
    public DistractorScore Kept(string method) =>
        Of(method).Count() == 1 ? Of(method).Single()
        : method == MethodNames.Ccs ? Of(method).Single(s => s.IsBest)
        : Of(method).First();

    /// <summary>The fraction of CCS seeds that follow the distractor: distractor accuracy at least <paramref
    /// name="threshold"/> and above truth accuracy.</summary>
    public double FractionFollowing(double threshold = 0.75) =>
        DistractorScore.FractionFollowing(Of(MethodNames.Ccs), threshold);
}

/// <summary>Accuracy of one method (one seed) on a subset of the test pairs, e.g. company vs other topics
/// (§4.3).</summary>
public sealed record SubsetScore(string Setting, string Method, int Seed, bool IsBest, string Subset, double Accuracy);

/// <summary>
/// Farquhar et al. §4's protocol for one prompt setting (default, banana/shed, Alice...): every method of
/// <see cref="MethodComparison"/> on a train/test split, scored on the test split against the truth and against a
/// distractor labelling. Logistic regression is also reported on its training split, as the paper does ("LR (pair,
/// train)").
/// </summary>
public static class DistractorExperiment
{
    public const string LrPairTrain = "LR (pair, train)";

    /// <summary>The methods notebook 02's tables and charts show, in order.</summary>
    public static IReadOnlyList<string> Shown { get; } =
    [MethodNames.Ccs, MethodNames.Pca, MethodNames.KMeans, MethodNames.LrPair, LrPairTrain, MethodNames.Random];

    /// <summary>The key a sweep of distractor settings (layers, mentions, templates...) is saved under: what the sweep
    /// is, the model, the token read, the split, every CCS option, the layer when it is fixed, the pairs when they
    /// are shared by every job (otherwise each job carries its own pairs' fingerprint), the scaling and the
    /// centring.</summary>
    public static ResultKey SweepKey(
        string kind,
        string model,
        TokenPosition position,
        int splitSeed,
        CcsOptions options,
        int? layer = null,
        IReadOnlyList<ContrastPair>? pairs = null,
        Scaling scaling = Scaling.PerHalf,
        Centring centring = Centring.PerHalf
    ) =>
        ResultKey.Of(
            kind,
            new SweepSettings(
                model,
                position,
                splitSeed,
                Metrics.StudySplitName,
                options,
                layer,
                pairs is null ? null : ContrastPairs.Fingerprint(pairs),
                scaling,
                centring,
                CcsProbe.CodeVersion
            )
        );

    /// <summary>What a sweep is saved under (a named record: renaming a variable cannot re-key saved results).
    /// </summary>
    public sealed record SweepSettings(
        string Model,
        TokenPosition Position,
        int SplitSeed,
        string Split,
        CcsOptions Ccs,
        int? Layer,
        string? Pairs,
        Scaling Scaling,
        Centring Centring,
        int CodeVersion
    );

    /// <summary>The key of a sweep whose jobs each name their own dataset, token, scaling, centring and layer (e.g.
    /// <see cref="DistractorCell"/>s): what the sweep is, the model, the split and every CCS option.</summary>
    public static ResultKey GridKey(string kind, string model, int splitSeed, CcsOptions options) =>
        ResultKey.Of(kind, new GridSettings(model, splitSeed, Metrics.StudySplitName, options, CcsProbe.CodeVersion));

    /// <summary>What a grid of cells is saved under (each job adds its cell).</summary>
    public sealed record GridSettings(string Model, int SplitSeed, string Split, CcsOptions Ccs, int CodeVersion);

    /// <param name="train">raw states of the training pairs</param>
    /// <param name="test">raw states of the test pairs</param>
    /// <param name="trainDistractor">the distractor bit of each training pair (for the LR train row)</param>
    /// <param name="testDistractor">the distractor bit of each test pair (e.g. 1 = "Banana", or Alice backs x⁺)</param>
    public static DistractorRun Run(
        string setting,
        HiddenPairs train,
        HiddenPairs test,
        int[] trainDistractor,
        int[] testDistractor,
        CcsOptions options,
        IProgress<CcsProgress>? progress = null,
        Scaling scaling = Scaling.PerHalf,
        Centring centring = Centring.PerHalf
    )
    {
        if (trainDistractor.Length != train.Count || testDistractor.Length != test.Count)
            throw new ArgumentException("one distractor bit per pair is needed on both splits");
        var cmp = MethodComparison.Run(train, test, options, scaling, progress, centring);
        return new(setting, cmp, Score(setting, cmp, testDistractor, trainDistractor), trainDistractor, testDistractor);
    }

    /// <summary>The same on extracted pairs: fitted on the training side of the study's 60/20/20 split by question
    /// (<paramref name="splitSeed"/>) and scored on its test side (the validation side, where notebook 01 chose its
    /// representation, is left out), states at <paramref name="layer"/> on <paramref name="device"/>, <paramref
    /// name="distractor"/> one bit per pair.</summary>
    public static DistractorRun Run(
        string setting,
        PairActivations acts,
        int layer,
        int[] distractor,
        CcsOptions options,
        int splitSeed = 0,
        TorchSharp.torch.Device? device = null,
        IProgress<CcsProgress>? progress = null,
        Scaling scaling = Scaling.PerHalf,
        Centring centring = Centring.PerHalf
    )
    {
        var split = acts.StudySplit(splitSeed);
        var (tr, te) = (split.Train, split.Test);
        return Run(
            setting,
            acts.Select(tr).AtLayer(layer, device),
            acts.Select(te).AtLayer(layer, device),
            tr.Select(i => distractor[i]).ToArray(),
            te.Select(i => distractor[i]).ToArray(),
            options,
            progress,
            scaling,
            centring
        );
    }

    /// <summary>Every method and seed on named subsets of the test pairs, each unsupervised method oriented on the rows
    /// <paramref name="orient"/> (see <see cref="OrientedAccuracy"/>). Supervised logistic regression already knows
    /// which side is true, so its raw accuracy is reported (orienting it on a subset where it is near chance would flip
    /// it at random).</summary>
    public static IReadOnlyList<SubsetScore> SubsetScores(
        string setting,
        Comparison cmp,
        bool[] orient,
        IReadOnlyDictionary<string, bool[]> subsets
    )
    {
        var labels = cmp.Test.Labels;
        var all = Enumerable.Repeat(true, labels.Length).ToArray();
        return cmp
            .Methods.SelectMany(m =>
                Enumerable
                    .Range(0, m.Scores.Length)
                    .SelectMany(s =>
                        subsets.Select(kv => new SubsetScore(
                            setting,
                            m.Method,
                            s,
                            m.Method == MethodNames.Ccs && s == m.Best,
                            kv.Key,
                            IsSupervised(m.Method)
                                ? RawAccuracyOn(m.Scores[s], labels, kv.Value)
                                : OrientedAccuracy(m.Scores[s], labels, orient, kv.Value)
                        ))
                    )
            )
            .ToList();
    }

    public static bool IsSupervised(string method) =>
        method is MethodNames.LrPair or MethodNames.LrDifference or LrPairTrain;

    static double RawAccuracyOn(float[] scores, int[] labels, bool[] rows)
    {
        var r = Enumerable.Range(0, labels.Length).Where(i => rows[i]).ToArray();
        return Metrics.RawAccuracy(r.Select(i => scores[i]).ToArray(), r.Select(i => labels[i]).ToArray());
    }

    /// <summary>The rows for an existing comparison (test split), plus LR's training accuracy when the training
    /// split's distractor bits are given.</summary>
    public static IReadOnlyList<DistractorScore> Score(
        string setting,
        Comparison cmp,
        int[] testDistractor,
        int[]? trainDistractor = null
    )
    {
        var truth = cmp.Test.Labels;
        var rows = new List<DistractorScore>();
        foreach (var m in cmp.Methods)
            for (var s = 0; s < m.Scores.Length; s++)
            {
                double? loss = m.Method == MethodNames.Ccs ? cmp.Ccs.Restarts[s].Loss : null;
                var best = m.Scores.Length > 1 && s == m.Best && m.Method == MethodNames.Ccs;
                rows.Add(
                    new(
                        setting,
                        m.Method,
                        s,
                        best,
                        Metrics.Accuracy(m.Scores[s], truth).Value,
                        Metrics.Accuracy(m.Scores[s], testDistractor).Value,
                        loss
                    )
                );
            }
        if (trainDistractor is not null)
        {
            var lr = LogisticRegression.Fit(cmp.Train, PairFeatures.Concatenated).Scores(cmp.Train);
            rows.Add(
                new(
                    setting,
                    LrPairTrain,
                    0,
                    false,
                    Metrics.Accuracy(lr, cmp.Train.Labels).Value,
                    Metrics.Accuracy(lr, trainDistractor).Value,
                    null
                )
            );
        }
        return rows;
    }

    /// <summary>Accuracy on the rows <paramref name="measure"/>, with the orientation (sign) chosen on the rows
    /// <paramref name="orient"/> only: Farquhar et al. §4.3 disambiguate on non-company questions and then measure on
    /// company ones, so a probe that follows Alice there scores below 50%.</summary>
    public static double OrientedAccuracy(float[] scores, int[] labels, bool[] orient, bool[] measure)
    {
        int[] Rows(bool[] mask) => Enumerable.Range(0, labels.Length).Where(i => mask[i]).ToArray();
        var o = Rows(orient);
        var flipped = Metrics.Accuracy(o.Select(i => scores[i]).ToArray(), o.Select(i => labels[i]).ToArray()).Flipped;
        var m = Rows(measure);
        var raw = Metrics.RawAccuracy(m.Select(i => scores[i]).ToArray(), m.Select(i => labels[i]).ToArray());
        return flipped ? 1 - raw : raw;
    }
}
