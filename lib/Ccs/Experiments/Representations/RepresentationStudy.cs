using ScienceOfDL.Ccs.Analysis;
using ScienceOfDL.Ccs.Baselines;
using ScienceOfDL.Ccs.Data;
using ScienceOfDL.Ccs.Probing;
using ScienceOfDL.LanguageModels;
using ScienceOfDL.Statistics;
using static TorchSharp.torch;

namespace ScienceOfDL.Ccs.Experiments;

/// <summary>
/// Where does CCS find the truth? For one dataset, every slice × token position × layer × centring × scaling of its
/// contrast pairs: CCS (every restart, the lowest-loss one marked), PCA on the differences (CRC-TPC), supervised
/// logistic regression on the pair (the ceiling) and untrained probes (the floor), all fitted on the training side of
/// one 60/20/20 split by question, oriented and compared on its validation side, and read on its untouched test side.
/// Returns rows only (saving them is the caller's business).
/// </summary>
public static class RepresentationStudy
{
    /// <summary>What every saved row of the study shares: the model, the split and the CCS options (the jobs add the
    /// data, the slices and the grid). Saved as <c>ccs-representations-MODEL-HASH.csv</c>.</summary>
    public static Results.ResultKey Key(string model, int splitSeed, CcsOptions options) =>
        Results.ResultKey.Of(
            "ccs-representations-"
                + new string(
                    model.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray()
                ),
            new StudySettings(model, splitSeed, Metrics.StudySplitName, options, CcsProbe.CodeVersion)
        );

    /// <summary>What the study is saved under (a named record: renaming a variable cannot re-key it).</summary>
    public sealed record StudySettings(string Model, int SplitSeed, string Split, CcsOptions Ccs, int CodeVersion);

    public static List<RepresentationRow> Run(
        string dataset,
        IReadOnlyDictionary<TokenPosition, PairActivations> activations,
        IReadOnlyList<StudySlice> slices,
        RepresentationGrid grid,
        CcsOptions options,
        int splitSeed = 0,
        IProgress<RepresentationProgress>? progress = null
    )
    {
        var missing = grid.Tokens.Where(t => !activations.ContainsKey(t)).ToArray();
        if (missing.Length > 0)
            throw new ArgumentException($"no activations at {string.Join(", ", missing)}", nameof(activations));
        var any = activations[grid.Tokens[0]];
        // One split for the whole set, so that no slice's validation or test questions were trained on in any slice.
        var split = any.StudySplit(splitSeed);
        var constant = CcsLoss.BestConstant(options.Confidence);
        var rows = new List<RepresentationRow>();
        var (done, total) = (0, slices.Count * grid.Count);
        foreach (var slice in slices)
        {
            int[] Within(int[] side) => side.Where(i => slice.Contains(any.Pairs[i])).ToArray();
            var (sTrain, sValidation, sTest) = (Within(split.Train), Within(split.Validation), Within(split.Test));
            if (sTrain.Length < 2 || sValidation.Length < 2 || sTest.Length < 2)
                throw new ArgumentException(
                    $"slice {slice} has {sTrain.Length} training, {sValidation.Length} "
                        + $"validation and {sTest.Length} test pairs"
                );
            foreach (var token in grid.Tokens)
            {
                var acts = activations[token];
                var (trainActs, validationActs, testActs) = (
                    acts.Select(sTrain),
                    acts.Select(sValidation),
                    acts.Select(sTest)
                );
                foreach (var layer in grid.Layers)
                {
                    using var scope = NewDisposeScope();
                    var raw = (
                        Train: trainActs.AtLayer(layer),
                        Validation: validationActs.AtLayer(layer),
                        Test: testActs.AtLayer(layer)
                    );
                    foreach (var centring in grid.Centrings)
                    foreach (var scaling in grid.Scalings)
                    {
                        HiddenPairs N(HiddenPairs p) => Normalization.Burns(p, scaling, centring);
                        var row = new RepresentationRow(
                            dataset,
                            slice.Subset,
                            slice.Template,
                            layer,
                            token,
                            scaling,
                            centring,
                            "",
                            0,
                            false,
                            double.NaN,
                            double.NaN,
                            double.NaN,
                            double.NaN,
                            double.NaN,
                            double.NaN,
                            sTrain.Length,
                            sValidation.Length,
                            sTest.Length
                        );
                        rows.AddRange(Fit(row, N(raw.Train), N(raw.Validation), N(raw.Test), options, constant));
                        progress?.Report(
                            new(dataset, slice.Subset, slice.Template, token, layer, scaling, ++done, total, centring)
                        );
                    }
                }
            }
        }
        return rows;
    }

    /// <summary>Every method fitted on one normalised training split, oriented on the validation split and read on the
    /// test split; <paramref name="setting"/> gives the shared columns.</summary>
    static IEnumerable<RepresentationRow> Fit(
        RepresentationRow setting,
        HiddenPairs train,
        HiddenPairs validation,
        HiddenPairs test,
        CcsOptions options,
        double constantLoss
    )
    {
        var fit = CcsProbe.Train(train, options);
        var onValidation = fit.Report(validation);
        var onTest = fit.Report(test);
        foreach (var (v, t) in onValidation.Zip(onTest))
            yield return setting with
            {
                Method = MethodNames.Ccs,
                Restart = v.Index,
                IsChosen = v.IsBest,
                ValidationAccuracy = v.Accuracy,
                TestAccuracy = Oriented(t.Flipped ? 1 - t.Accuracy : t.Accuracy, v.Flipped),
                TrainLoss = v.TrainLoss,
                ValidationLoss = v.Loss,
                TestLoss = t.Loss,
                ConstantLoss = constantLoss,
            };
        var pca = Pca.Fit(train, 1).Scorer();
        var (pv, pt) = Scored(pca.Scores(validation), validation.Labels, pca.Scores(test), test.Labels);
        yield return setting with
        {
            Method = MethodNames.Pca,
            IsChosen = true,
            ValidationAccuracy = pv,
            TestAccuracy = pt,
        };
        // Supervised: it knows which side is true, so its accuracy is read as labelled (no sign flip).
        var lr = LogisticRegression.Fit(train, PairFeatures.Concatenated);
        yield return setting with
        {
            Method = MethodNames.LrPair,
            IsChosen = true,
            ValidationAccuracy = Metrics.RawAccuracy(lr.Scores(validation), validation.Labels),
            TestAccuracy = Metrics.RawAccuracy(lr.Scores(test), test.Labels),
        };
        var random = RandomProbe.Draw(test, options);
        var (rv, rt) = (Metrics.ToRows(random.Scores(validation)), Metrics.ToRows(random.Scores(test)));
        for (var s = 0; s < rv.Length; s++)
        {
            var (a, b) = Scored(rv[s], validation.Labels, rt[s], test.Labels);
            yield return setting with
            {
                Method = MethodNames.Random,
                Restart = s,
                ValidationAccuracy = a,
                TestAccuracy = b,
            };
        }
    }

    static double Oriented(double raw, bool flipped) => flipped ? 1 - raw : raw;

    /// <summary>Validation accuracy (sign-disambiguated there) and test accuracy with that orientation.</summary>
    static (double Validation, double Test) Scored(
        float[] validation,
        int[] validationLabels,
        float[] test,
        int[] testLabels
    )
    {
        var v = Metrics.Accuracy(validation, validationLabels);
        return (v.Value, Metrics.OrientedAccuracy(test, testLabels, v.Flipped));
    }

    /// <summary>One line per setting: the chosen CCS restart beside the spread of all restarts and the other
    /// methods.</summary>
    public static List<RepresentationSummary> Summarize(IEnumerable<RepresentationRow> rows) =>
        rows.GroupBy(r => (r.Dataset, r.Subset, r.Template, r.Layer, r.Token, r.Scaling, r.Centring))
            .Select(g =>
            {
                var ccs = g.Where(r => r.Method == MethodNames.Ccs).ToList();
                var chosen = ccs.Single(r => r.IsChosen);
                RepresentationRow Only(string method) => g.Single(r => r.Method == method);
                var spread = Metrics.Summarize(ccs.Select(r => r.TestAccuracy));
                return new RepresentationSummary(
                    g.Key.Dataset,
                    g.Key.Subset,
                    g.Key.Template,
                    g.Key.Layer,
                    g.Key.Token,
                    g.Key.Scaling,
                    g.Key.Centring,
                    chosen.ValidationAccuracy,
                    chosen.TestAccuracy,
                    chosen.TrainLoss,
                    chosen.ValidationLoss,
                    chosen.TestLoss,
                    chosen.ConstantLoss,
                    spread.Min,
                    spread.Median,
                    spread.Max,
                    Only(MethodNames.Pca).ValidationAccuracy,
                    Only(MethodNames.Pca).TestAccuracy,
                    Only(MethodNames.LrPair).ValidationAccuracy,
                    Only(MethodNames.LrPair).TestAccuracy,
                    g.Where(r => r.Method == MethodNames.Random).Average(r => r.TestAccuracy),
                    chosen.TrainPairs,
                    chosen.ValidationPairs,
                    chosen.TestPairs
                );
            })
            .ToList();

    /// <summary>The whole-set settings (no subset, no template singled out).</summary>
    public static List<RepresentationSummary> WholeSets(IEnumerable<RepresentationSummary> settings) =>
        settings.Where(s => s.Subset == StudySlice.All && s.Template == StudySlice.All).ToList();

    /// <summary>
    /// The setting a rule picks among <paramref name="settings"/> (e.g. one dataset's whole-set slice). Ties go to the
    /// first in order. Only <see cref="SelectionRule.OracleHighestTestCcsAccuracy"/> reads the test split.
    /// </summary>
    public static RepresentationSummary Pick(IEnumerable<RepresentationSummary> settings, SelectionRule rule) =>
        rule switch
        {
            SelectionRule.HighestValidationCcsAccuracy => settings.MaxBy(s => s.CcsValidation)!,
            SelectionRule.LowestValidationCcsLoss => settings.MinBy(s => s.CcsValidationLoss)!,
            SelectionRule.LowestTrainingCcsLoss => settings.MinBy(s => s.CcsTrainLoss)!,
            SelectionRule.HighestValidationLrAccuracy => settings.MaxBy(s => s.LrValidation)!,
            SelectionRule.OracleHighestTestCcsAccuracy => settings.MaxBy(s => s.Ccs)!,
            _ => throw new ArgumentOutOfRangeException(nameof(rule)),
        };

    /// <summary>
    /// The default representation of notebooks 01–03, by the stated rule: among the whole-set settings of the
    /// <paramref name="preferred"/> datasets (the Burns-like ones), the one whose lowest-loss CCS restart has the
    /// highest validation accuracy; if none reaches <paramref name="aim"/> on validation, the same over every dataset.
    /// Then the same candidates under the label-free rules, the label-free rules within the chosen dataset, and the
    /// oracle (test labels) for how optimistic a pick by test accuracy would be. The first line is the choice.
    /// </summary>
    public static IReadOnlyList<RepresentationChoice> ChooseDefault(
        IReadOnlyList<RepresentationSummary> whole,
        IReadOnlyCollection<string> preferred,
        double aim = 0.7
    )
    {
        var preferredSettings = whole.Where(s => preferred.Contains(s.Dataset)).ToList();
        var usePreferred = preferredSettings.Count > 0 && preferredSettings.Max(s => s.CcsValidation) >= aim;
        var candidates = usePreferred ? preferredSettings : whole.ToList();
        var among = usePreferred
            ? $"the {preferred.Count} preferred datasets' whole sets"
            : "every dataset's whole set";
        var choice = RepresentationChoice.Of(SelectionRule.HighestValidationCcsAccuracy, among, candidates);
        var sameDataset = whole.Where(s => s.Dataset == choice.Dataset).ToList();
        return
        [
            choice,
            RepresentationChoice.Of(SelectionRule.LowestValidationCcsLoss, among, candidates),
            RepresentationChoice.Of(SelectionRule.LowestTrainingCcsLoss, among, candidates),
            RepresentationChoice.Of(SelectionRule.LowestValidationCcsLoss, choice.Dataset, sameDataset),
            RepresentationChoice.Of(SelectionRule.LowestTrainingCcsLoss, choice.Dataset, sameDataset),
            RepresentationChoice.Of(SelectionRule.OracleHighestTestCcsAccuracy, among, candidates),
        ];
    }

    /// <summary>Per dataset, the setting each rule picks among that dataset's whole-set settings.</summary>
    public static List<RepresentationChoice> PicksPerDataset(
        IEnumerable<RepresentationSummary> whole,
        IEnumerable<SelectionRule> rules
    ) =>
        whole
            .GroupBy(s => s.Dataset)
            .SelectMany(g => rules.Select(r => RepresentationChoice.Of(r, g.Key, g.ToList())))
            .ToList();

    /// <summary>For every slice other than the whole set: its setting best on validation, read on test.</summary>
    public static List<SliceBest> BestPerSlice(IEnumerable<RepresentationSummary> settings) =>
        settings
            .Where(s => s.Subset != StudySlice.All || s.Template != StudySlice.All)
            .GroupBy(s => (s.Dataset, s.Subset, s.Template))
            .Select(g =>
            {
                var best = g.MaxBy(s => s.CcsValidation)!;
                var lr = g.MaxBy(s => s.LrValidation)!;
                return new SliceBest(
                    g.Key.Dataset,
                    g.Key.Subset,
                    g.Key.Template,
                    g.Count(),
                    best.Token,
                    best.Scaling,
                    best.Layer,
                    best.CcsValidation,
                    Proportion.Wilson(best.Ccs, best.TestPairs),
                    lr.Lr,
                    best.TestPairs
                );
            })
            .ToList();

    /// <summary>How much the scaling (and centring) matters: per dataset, scaling and centring, over every token ×
    /// layer.</summary>
    public static List<ScalingEffect> ByScaling(IEnumerable<RepresentationSummary> whole) =>
        whole
            .GroupBy(s => (s.Dataset, s.Scaling, s.Centring))
            .Select(g => new ScalingEffect(
                g.Key.Dataset,
                g.Key.Scaling,
                g.Key.Centring,
                g.Count(),
                g.MaxBy(s => s.CcsValidation)!.Ccs,
                g.Average(s => s.Ccs),
                g.MaxBy(s => s.LrValidation)!.Lr
            ))
            .ToList();

    /// <summary>Each template of one dataset fitted on its own at one setting (every centring the rows hold), with the
    /// answers the template offers: a fixed pair (" 1" / " 2") or how many distinct words.</summary>
    public static List<TemplateResult> PerTemplate(
        IEnumerable<RepresentationSummary> settings,
        IReadOnlyList<ContrastPair> pairs,
        IReadOnlyList<PromptTemplate> templates,
        TokenPosition token,
        Scaling scaling,
        int layer
    ) =>
        settings
            .Where(s =>
                s.Subset == StudySlice.All
                && s.Template != StudySlice.All
                && s.Token == token
                && s.Scaling == scaling
                && s.Layer == layer
            )
            .OrderBy(s => s.Template, StringComparer.Ordinal)
            .ThenBy(s => s.Centring)
            .Select(s =>
            {
                var t = templates.Single(t => StudySlice.TemplateName(t) == s.Template);
                var words = ContrastPairs.AnswerWords(pairs, t.Id);
                var answers =
                    words.Count <= 2
                        ? string.Join(" / ", words.Select(w => $"\"{w}\""))
                        : $"{words.Count} different words";
                return new TemplateResult(
                    s.Template,
                    answers,
                    s.Centring,
                    Proportion.Wilson(s.Ccs, s.TestPairs),
                    s.CcsValidation,
                    s.Pca,
                    s.Lr,
                    s.RandomMean,
                    s.TestPairs
                );
            })
            .ToList();

    /// <summary>Each dataset at each reading, then the mean over the <paramref name="burnsLike"/> datasets at each
    /// reading (test accuracies; for a dataset whose answers never vary, a per-answer-word reading is read per
    /// half, which is the same).</summary>
    public static List<BurnsComparisonRow> BesideBurns(
        IReadOnlyList<RepresentationSummary> whole,
        IReadOnlyList<string> datasets,
        IReadOnlyCollection<string> burnsLike,
        IReadOnlyList<StudyReading> readings
    )
    {
        RepresentationSummary At(string dataset, StudyReading r) => SummaryAt(whole, dataset, r);
        string Name(StudyReading r) => $"{r.Name}: {r.Token}, layer {r.Layer}";
        var rows = readings
            .SelectMany(r =>
                datasets
                    .Select(d => At(d, r))
                    .Select(s => new BurnsComparisonRow(s.Dataset, Name(r), s.Ccs, s.Lr, s.Pca, s.RandomMean))
            )
            .ToList();
        foreach (var r in readings)
        {
            var sets = burnsLike.Select(d => At(d, r)).ToList();
            rows.Add(
                new(
                    $"mean of the {sets.Count} Burns-like sets",
                    Name(r),
                    sets.Average(s => s.Ccs),
                    sets.Average(s => s.Lr),
                    sets.Average(s => s.Pca),
                    sets.Average(s => s.RandomMean)
                )
            );
        }
        return rows;
    }

    /// <summary>The chart beside Burns et al.: each dataset's CCS test accuracy at each reading, and the supervised
    /// probe's (LR) at <paramref name="withLr"/>; typed by reading, so a chart names its series without
    /// parsing.</summary>
    public static List<ReadingBar> BarsBesideBurns(
        IReadOnlyList<RepresentationSummary> whole,
        IReadOnlyList<string> datasets,
        IReadOnlyList<StudyReading> readings,
        StudyReading withLr
    ) =>
        readings
            .SelectMany(r => datasets.Select(d => new ReadingBar(d, r, MethodNames.Ccs, SummaryAt(whole, d, r).Ccs)))
            .Concat(datasets.Select(d => new ReadingBar(d, withLr, MethodNames.LrPair, SummaryAt(whole, d, withLr).Lr)))
            .ToList();

    /// <summary>A dataset's summary at a reading; for a dataset whose answers never vary (no per-answer-word row),
    /// the per-half row, which is the same.</summary>
    static RepresentationSummary SummaryAt(
        IReadOnlyList<RepresentationSummary> whole,
        string dataset,
        StudyReading r
    ) =>
        whole.SingleOrDefault(s =>
            s.Dataset == dataset
            && s.Token == r.Token
            && s.Scaling == r.Scaling
            && s.Centring == r.Centring
            && s.Layer == r.Layer
        )
        ?? whole.Single(s =>
            s.Dataset == dataset
            && s.Token == r.Token
            && s.Scaling == r.Scaling
            && s.Centring == Centring.PerHalf
            && s.Layer == r.Layer
        );

    /// <summary>Per dataset, token and centring: the ranges over every scaling × layer (<see cref="TokenRange"/>).
    /// </summary>
    public static List<TokenRange> RangeByToken(IEnumerable<RepresentationSummary> whole) =>
        whole
            .GroupBy(s => (s.Dataset, s.Token, s.Centring))
            .Select(g => new TokenRange(
                g.Key.Dataset,
                g.Key.Token,
                g.Key.Centring,
                g.Count(),
                g.Min(s => s.Ccs),
                g.Max(s => s.Ccs),
                g.Max(s => s.Pca),
                g.Max(s => s.Lr),
                g.Min(s => s.CcsTrainLoss),
                g.Max(s => s.CcsTrainLoss)
            ))
            .ToList();
}
