using static TorchSharp.torch;
using ScienceOfDL.Ccs.Analysis;
using ScienceOfDL.Ccs.Baselines;
using ScienceOfDL.Ccs.Probing;
using ScienceOfDL.LanguageModels;

namespace ScienceOfDL.Ccs.Experiments;

/// <summary>
/// Where does CCS find the truth? For one dataset, every slice × token position × layer × scaling of its contrast
/// pairs: CCS (every restart, the lowest-loss one marked), PCA on the differences (CRC-TPC), supervised logistic
/// regression on the pair (the ceiling) and untrained probes (the floor), all fitted on one 60/40 split by question and
/// scored on its test side. Returns rows only (saving them is the caller's business).
/// </summary>
public static class RepresentationStudy
{
    /// <summary>What every saved row of the study shares: the model, the split and the CCS options (the jobs add the
    /// data, the slices and the grid). Saved as <c>ccs-representations-MODEL-HASH.csv</c>.</summary>
    public static Results.ResultKey Key(string model, int splitSeed, CcsOptions options) =>
        Results.ResultKey.Of("ccs-representations-" + new string(model.Select(c =>
                char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray()),
            new { Model = model, SplitSeed = splitSeed, Ccs = options, CcsProbe.CodeVersion });

    public static List<RepresentationRow> Run(string dataset,
        IReadOnlyDictionary<TokenPosition, PairActivations> activations, IReadOnlyList<StudySlice> slices,
        RepresentationGrid grid, CcsOptions options, int splitSeed = 0,
        IProgress<RepresentationProgress>? progress = null)
    {
        var missing = grid.Tokens.Where(t => !activations.ContainsKey(t)).ToArray();
        if (missing.Length > 0)
            throw new ArgumentException($"no activations at {string.Join(", ", missing)}", nameof(activations));
        var any = activations[grid.Tokens[0]];
        // One split for the whole set, so that every slice's test questions were never trained on in any slice.
        var (train, test) = any.Split(splitSeed);
        var constant = CcsLoss.BestConstant(options.Confidence);
        var rows = new List<RepresentationRow>();
        var (done, total) = (0, slices.Count * grid.Count);
        foreach (var slice in slices)
        {
            int[] Within(int[] split) => split.Where(i => slice.Contains(any.Pairs[i])).ToArray();
            var (sliceTrain, sliceTest) = (Within(train), Within(test));
            if (sliceTrain.Length < 2 || sliceTest.Length < 2)
                throw new ArgumentException(
                    $"slice {slice} has {sliceTrain.Length} training and {sliceTest.Length} test pairs");
            foreach (var token in grid.Tokens)
            {
                var trainActs = activations[token].Select(sliceTrain);
                var testActs = activations[token].Select(sliceTest);
                foreach (var layer in grid.Layers)
                {
                    using var scope = NewDisposeScope();
                    var (trainRaw, testRaw) = (trainActs.AtLayer(layer), testActs.AtLayer(layer));
                    foreach (var scaling in grid.Scalings)
                    {
                        var row = new RepresentationRow(dataset, slice.Subset, slice.Template, layer, token, scaling,
                            "", 0, false, double.NaN, double.NaN, double.NaN, double.NaN,
                            sliceTrain.Length, sliceTest.Length);
                        rows.AddRange(Fit(row, Normalization.Burns(trainRaw, scaling),
                            Normalization.Burns(testRaw, scaling), options, constant));
                        progress?.Report(new(dataset, slice.Subset, slice.Template, token, layer, scaling,
                            ++done, total));
                    }
                }
            }
        }
        return rows;
    }

    /// <summary>Every method on one normalised train/test pair of splits; <paramref name="setting"/> gives the shared
    /// columns.</summary>
    static IEnumerable<RepresentationRow> Fit(RepresentationRow setting, HiddenPairs train, HiddenPairs test,
        CcsOptions options, double constantLoss)
    {
        var labels = test.Labels;
        var fit = CcsProbe.Train(train, options);
        foreach (var r in fit.Report(test))
            yield return setting with
            {
                Method = MethodNames.Ccs, Restart = r.Index, IsChosen = r.IsBest, Accuracy = r.Accuracy,
                TrainLoss = r.TrainLoss, TestLoss = r.Loss, ConstantLoss = constantLoss,
            };
        var pca = Pca.Fit(train, 1).Scorer().Scores(test);
        yield return setting with
        {
            Method = MethodNames.Pca, IsChosen = true, Accuracy = Metrics.Accuracy(pca, labels).Value,
        };
        // Supervised: it knows which side is true, so its accuracy is read as labelled (no sign flip).
        var lr = LogisticRegression.Fit(train, PairFeatures.Concatenated).Scores(test);
        yield return setting with
        {
            Method = MethodNames.LrPair, IsChosen = true, Accuracy = Metrics.RawAccuracy(lr, labels),
        };
        var random = Metrics.Accuracies(RandomProbe.Draw(test, options).Scores(test), labels);
        for (var s = 0; s < random.Length; s++)
            yield return setting with { Method = MethodNames.Random, Restart = s, Accuracy = random[s].Value };
    }

    /// <summary>One line per setting: the chosen CCS restart beside the spread of all restarts and the other
    /// methods.</summary>
    public static List<RepresentationSummary> Summarize(IEnumerable<RepresentationRow> rows) =>
        rows.GroupBy(r => (r.Dataset, r.Subset, r.Template, r.Layer, r.Token, r.Scaling))
            .Select(g =>
            {
                var ccs = g.Where(r => r.Method == MethodNames.Ccs).ToList();
                var chosen = ccs.Single(r => r.IsChosen);
                double Only(string method) => g.Single(r => r.Method == method).Accuracy;
                var spread = Metrics.Summarize(ccs.Select(r => r.Accuracy));
                return new RepresentationSummary(g.Key.Dataset, g.Key.Subset, g.Key.Template, g.Key.Layer, g.Key.Token,
                    g.Key.Scaling, chosen.Accuracy, chosen.TrainLoss, chosen.TestLoss, chosen.ConstantLoss,
                    spread.Min, spread.Median, spread.Max, Only(MethodNames.Pca), Only(MethodNames.LrPair),
                    g.Where(r => r.Method == MethodNames.Random).Average(r => r.Accuracy), chosen.TrainPairs,
                    chosen.TestPairs);
            })
            .ToList();

    /// <summary>
    /// The setting a rule picks among <paramref name="settings"/> (e.g. one dataset's whole-set slice). Only <see
    /// cref="SelectionRule.LowestCcsLoss"/> and <see cref="SelectionRule.LowestHeldOutCcsLoss"/> are unsupervised; the
    /// other rules read test labels and so show what an oracle would pick, not what CCS could find on its own.
    /// </summary>
    public static RepresentationSummary Pick(IEnumerable<RepresentationSummary> settings, SelectionRule rule) =>
        rule switch
    {
        SelectionRule.LowestCcsLoss => settings.MinBy(s => s.CcsTrainLoss)!,
        SelectionRule.LowestHeldOutCcsLoss => settings.MinBy(s => s.CcsTestLoss)!,
        SelectionRule.HighestCcsAccuracy => settings.MaxBy(s => s.Ccs)!,
        SelectionRule.HighestLrAccuracy => settings.MaxBy(s => s.Lr)!,
        _ => throw new ArgumentOutOfRangeException(nameof(rule)),
    };
}
