using ScienceOfDL.Ccs.Analysis;
using ScienceOfDL.Ccs.Baselines;
using ScienceOfDL.Ccs.Probing;
using static TorchSharp.torch;

namespace ScienceOfDL.Ccs.Experiments;

/// <summary>One method's truth scores on the test pairs (positive: x⁺ is true). Methods with seeds or restarts (CCS,
/// random probes) have one row each; <see cref="Best"/> is the row the method itself would pick (CCS: lowest training
/// loss).</summary>
public sealed record MethodScores(string Method, float[][] Scores, int Best = 0)
{
    public float[] BestScores => Scores[Best];

    /// <summary>Accuracy of the chosen row after sign disambiguation, against any labelling (truth, a
    /// distractor...).</summary>
    public SignedAccuracy Accuracy(int[] labels) => Metrics.Accuracy(BestScores, labels);

    /// <summary>Every row's disambiguated accuracy: the distribution over seeds/restarts.</summary>
    public double[] Accuracies(int[] labels) => Scores.Select(s => Metrics.Accuracy(s, labels).Value).ToArray();

    public double Auroc(int[] labels) => Metrics.DisambiguatedAuroc(BestScores, labels);

    /// <summary>0/1 predictions of the chosen row, oriented to agree best with <paramref name="labels"/>.</summary>
    public int[] Predictions(int[] labels) => Metrics.Predict(BestScores, Accuracy(labels).Flipped);
}

/// <summary>Every method fitted on one train split and scored on its test split (both Burns-normalised on their
/// own).</summary>
public sealed record Comparison(HiddenPairs Train, HiddenPairs Test, CcsFit Ccs, IReadOnlyList<MethodScores> Methods)
{
    public MethodScores this[string method] =>
        Methods.FirstOrDefault(m => m.Method == method)
        ?? throw new KeyNotFoundException(
            $"no method '{method}'; have {string.Join(", ",
                Methods.Select(m => m.Method))}"
        );
}

/// <summary>The methods' names, as they appear in <see cref="Comparison.Methods"/> and in charts.</summary>
public static class MethodNames
{
    public const string Ccs = "CCS",
        LrPair = "LR (pair)",
        LrDifference = "LR (difference)",
        Pca = "PCA (TPC)",
        Bss = "BSS",
        KMeans = "k-means",
        Random = "random";

    public static IReadOnlyList<string> All { get; } = [Ccs, LrPair, LrDifference, Pca, Bss, KMeans, Random];
}

/// <summary>
/// CCS beside the baselines of Burns et al. and Farquhar et al.: supervised logistic regression (the ceiling, on the
/// concatenated pair and on the difference), PCA on the differences (CRC-TPC), BSS, k-means with 2 clusters, and
/// untrained random probes (the floor). Accuracies are truth-disambiguated, as in both papers.
/// </summary>
public static class MethodComparison
{
    /// <param name="train">raw (unnormalised) hidden states of the training pairs</param>
    /// <param name="test">raw hidden states of the test pairs; normalised with their own statistics, as Burns' code
    /// does</param>
    public static Comparison Run(
        HiddenPairs train,
        HiddenPairs test,
        CcsOptions options,
        Scaling scaling = Scaling.PerHalf,
        IProgress<CcsProgress>? progress = null,
        Centring centring = Centring.PerHalf
    )
    {
        var tr = Normalization.Burns(train, scaling, centring);
        var te = Normalization.Burns(test, scaling, centring);
        var fit = CcsProbe.Train(tr, options, progress);
        var methods = new List<MethodScores>
        {
            new(MethodNames.Ccs, Metrics.ToRows(fit.Probes.Scores(te)), fit.Best),
            new(MethodNames.LrPair, [LogisticRegression.Fit(tr, PairFeatures.Concatenated).Scores(te)]),
            new(MethodNames.LrDifference, [LogisticRegression.Fit(tr, PairFeatures.Difference).Scores(te)]),
            new(MethodNames.Pca, [Pca.Fit(tr).Scorer().Scores(te)]),
            new(MethodNames.Bss, [Bss.Fit(tr, seed: options.Seed).Scorer().Scores(te)]),
            new(MethodNames.KMeans, [KMeans.Fit(tr, seed: options.Seed).Scorer().Scores(te)]),
            new(MethodNames.Random, Metrics.ToRows(RandomProbe.Draw(te, options).Scores(te))),
        };
        return new(tr, te, fit, methods);
    }
}
