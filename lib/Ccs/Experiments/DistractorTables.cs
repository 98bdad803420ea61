using ScienceOfDL.Ccs.Probing;
using ScienceOfDL.Statistics;

namespace ScienceOfDL.Ccs.Experiments;

/// <summary>One method on the default and the banana/shed prompts: the kept score's truth and banana accuracy, each
/// with a 95% Wilson interval over the test pairs (LR train: the training pairs), and the means over seeds.</summary>
public sealed record BananaShedMethod(
    string Method,
    Interval DefaultTruth,
    Interval DefaultBananaControl,
    Interval BananaTruth,
    Interval BananaBanana,
    double SeedsMeanTruthDefault,
    double SeedsMeanBananaBanana
);

/// <summary>How many of one kind of probe follow the distractor in one prompt setting, with Fisher's one-sided test
/// of CCS seeds against untrained probes (NaN for the untrained probes' own row).</summary>
public sealed record SeedsFollowing(
    string Prompts,
    string Probes,
    int Follow,
    int Of,
    Interval Fraction,
    double PFisherVsUntrained
);

/// <summary>One method's mean truth accuracy over its seeds under one instruction prompt.</summary>
public sealed record PromptMean(string Method, string Prompt, double Truth);

/// <summary>Truth accuracy under one instruction prompt: CCS's lowest-loss seed and mean, PCA, k-means and LR.
/// </summary>
public sealed record PromptTruth(
    string Prompt,
    double CcsLowestLossSeed,
    double CcsMean,
    double Pca,
    double KMeans,
    double Lr
);

/// <summary>A group of CCS seeds (by training loss): mean banana and truth accuracy and the share that follow.
/// </summary>
public sealed record SeedGroup(string Seeds, int Count, double MeanBanana, double MeanTruth, Interval Following);

/// <summary>The tables of notebook 02 (Farquhar et al.'s distractors), one record per row.</summary>
public static class DistractorTables
{
    /// <summary>One row per method of <paramref name="methods"/>: default against banana/shed prompts.</summary>
    public static List<BananaShedMethod> BananaShedMethods(
        DistractorRun plain,
        DistractorRun banana,
        IEnumerable<string> methods
    )
    {
        Interval Ci(double acc, string m) =>
            Proportion.Wilson(
                acc,
                m == DistractorExperiment.LrPairTrain ? plain.Comparison.Train.Count : plain.Comparison.Test.Count
            );
        return methods
            .Select(m => new BananaShedMethod(
                m
                    + (
                        m == MethodNames.Ccs ? " (lowest-loss seed)"
                        : m == MethodNames.Random ? " (seed 0)"
                        : ""
                    ),
                Ci(plain.Kept(m).Truth, m),
                Ci(plain.Kept(m).Distractor, m),
                Ci(banana.Kept(m).Truth, m),
                Ci(banana.Kept(m).Distractor, m),
                plain.Of(m).Average(s => s.Truth),
                banana.Of(m).Average(s => s.Distractor)
            ))
            .ToList();
    }

    /// <summary>How many of <paramref name="method"/>'s seeds (CCS or untrained probes) follow the distractor in
    /// <paramref name="run"/>.</summary>
    public static SeedsFollowing Following(DistractorRun run, string method, double threshold)
    {
        int Follows(string m) => run.Of(m).Count(s => s.Follows(threshold));
        var (n, k, r) = (run.Of(method).Count(), Follows(method), Follows(MethodNames.Random));
        var nr = run.Of(MethodNames.Random).Count();
        var ccs = method == MethodNames.Ccs;
        return new(
            run.Setting,
            ccs ? "CCS seeds" : "untrained probes",
            k,
            n,
            Proportion.Wilson(k, n),
            ccs ? HypothesisTests.FisherGreater(k, n, r, nr) : double.NaN
        );
    }

    /// <summary>Each method of <paramref name="methods"/> under each prompt (the rows' settings, in order).</summary>
    public static List<PromptMean> PromptMeans(IReadOnlyList<DistractorScore> rows, IEnumerable<string> methods)
    {
        var prompts = rows.Select(r => r.Setting).Distinct().ToArray();
        return methods
            .SelectMany(m =>
                prompts.Select(t => new PromptMean(
                    m,
                    t,
                    rows.Where(r => r.Setting == t && r.Method == m).Average(r => r.Truth)
                ))
            )
            .ToList();
    }

    /// <summary>One row per prompt (the rows' settings, in order).</summary>
    public static List<PromptTruth> PromptTruths(IReadOnlyList<DistractorScore> rows) =>
        rows.GroupBy(r => r.Setting)
            .Select(g => new PromptTruth(
                g.Key,
                g.Single(r => r.Method == MethodNames.Ccs && r.IsBest).Truth,
                g.Where(r => r.Method == MethodNames.Ccs).Average(r => r.Truth),
                g.Single(r => r.Method == MethodNames.Pca).Truth,
                g.Single(r => r.Method == MethodNames.KMeans).Truth,
                g.Single(r => r.Method == MethodNames.LrPair).Truth
            ))
            .ToList();

    /// <summary>The CCS seeds of <paramref name="run"/> by training loss: the lowest-loss fifth against the rest.
    /// </summary>
    public static (List<DistractorScore> Low, List<DistractorScore> Others) ByLoss(DistractorRun run)
    {
        var seeds = run.Of(MethodNames.Ccs).OrderBy(s => s.TrainLoss).ToList();
        return (seeds.Take(seeds.Count / 5).ToList(), seeds.Skip(seeds.Count / 5).ToList());
    }

    /// <summary>The two groups of <see cref="ByLoss"/>, one row each.</summary>
    public static List<SeedGroup> LossGroups(DistractorRun run, double threshold)
    {
        var (low, rest) = ByLoss(run);
        return new[] { ("lowest-loss fifth", low), ("other seeds", rest) }
            .Select(g => new SeedGroup(
                g.Item1,
                g.Item2.Count,
                g.Item2.Average(s => s.Distractor),
                g.Item2.Average(s => s.Truth),
                Proportion.Wilson(g.Item2.Count(s => s.Follows(threshold)), g.Item2.Count)
            ))
            .ToList();
    }
}

/// <summary>The implicit-opinion test (Farquhar et al. §4.3) read off its subset scores: company and other test
/// questions, CCS seeds below 0.5 on companies, the seeds with a trustworthy orientation (at least 0.65 on other
/// topics) and how many of them follow Alice, and supervised LR on both subsets.</summary>
public sealed record CompanyReading(
    int CompanyQuestions,
    int OtherQuestions,
    int CcsBelowHalf,
    int CcsSeeds,
    int Oriented,
    int OrientedFollowing,
    double LrCompany,
    double LrOther
);

/// <summary>Company questions against other topics, every method oriented on the other topics.</summary>
public static class CompanyOpinion
{
    public const string Company = "company",
        Other = "other topics";

    /// <summary>The methods the implicit-opinion charts show.</summary>
    public static IReadOnlyList<string> Methods { get; } =
    [MethodNames.Ccs, MethodNames.Pca, MethodNames.KMeans, MethodNames.LrPair, MethodNames.Random];

    /// <summary>Every method and seed of <paramref name="run"/> on the company and the other test questions.</summary>
    public static IReadOnlyList<SubsetScore> Scores(DistractorRun run, bool[] isCompany)
    {
        var other = isCompany.Select(c => !c).ToArray();
        return DistractorExperiment.SubsetScores(
            run.Setting,
            run.Comparison,
            other,
            new Dictionary<string, bool[]> { [Company] = isCompany, [Other] = other }
        );
    }

    /// <summary>For each test pair of the study split (<paramref name="splitSeed"/>): is it a company question?
    /// </summary>
    public static bool[] IsCompany(PairActivations acts, int splitSeed) =>
        acts.StudySplit(splitSeed).Test.Select(i => acts.Pairs[i].Tag("company") == 1).ToArray();

    /// <summary><paramref name="method"/>'s accuracy on <paramref name="subset"/>, one per seed in seed order.
    /// </summary>
    public static double[] Accuracies(IEnumerable<SubsetScore> rows, string method, string subset) =>
        rows.Where(r => r.Method == method && r.Subset == subset)
            .OrderBy(r => r.Seed)
            .Select(r => r.Accuracy)
            .ToArray();

    public static CompanyReading Read(IReadOnlyList<SubsetScore> rows, bool[] isCompany, double trusted = 0.65)
    {
        var company = Accuracies(rows, MethodNames.Ccs, Company);
        var other = Accuracies(rows, MethodNames.Ccs, Other);
        var oriented = Enumerable.Range(0, company.Length).Where(i => other[i] >= trusted).ToArray();
        return new(
            isCompany.Count(c => c),
            isCompany.Count(c => !c),
            company.Count(a => a < 0.5),
            company.Length,
            oriented.Length,
            oriented.Count(i => company[i] < 0.5),
            Accuracies(rows, MethodNames.LrPair, Company)[0],
            Accuracies(rows, MethodNames.LrPair, Other)[0]
        );
    }
}
