using ScienceOfDL.Ccs.Analysis;
using ScienceOfDL.Ccs.Data;
using ScienceOfDL.Ccs.Probing;
using ScienceOfDL.LanguageModels;
using ScienceOfDL.Results;

namespace ScienceOfDL.Ccs.Experiments;

/// <summary>
/// One method's outcome at one layer, as a flat row (for CSV). Methods with restarts or seeds (CCS, random probes) give
/// one row per restart/seed, <see cref="IsChosen"/> marking the one the method itself keeps (CCS: lowest training
/// loss); the other methods give one row. Losses are CCS losses and only set for CCS rows (NaN otherwise). Saved rows
/// are keyed by what produced them (model, pairs, token position, split, CCS options) through the results store.
/// </summary>
public sealed record LayerSweepRow(
    string Dataset,
    int Layer,
    string Method,
    int Index,
    bool IsChosen,
    double Accuracy,
    double Auroc,
    double TrainLoss,
    double TestLoss
);

/// <summary>One dataset of a saved layer sweep, with the fingerprint of its exact contrast pairs.</summary>
public sealed record LayerSweepJob(string Dataset, string Pairs);

/// <summary>Progress of a sweep: which layer is being fitted.</summary>
public sealed record LayerSweepProgress(string Dataset, int Layer, int Layers);

/// <summary>
/// Every method of <see cref="MethodComparison"/> at every layer of one set of pair activations, on one 60/40 split by
/// question (Burns et al. App. F sweep layers the same way). Accuracies are truth-disambiguated test accuracies.
/// </summary>
public static class LayerSweep
{
    /// <summary>The key a sweep is saved under: the model, the token read, the split and every CCS option (each dataset
    /// is a <see cref="LayerSweepJob"/> carrying its pairs' fingerprint).</summary>
    public static ResultKey Key(string model, TokenPosition position, int splitSeed, CcsOptions options) =>
        ResultKey.Of("ccs-layer-sweep", new SweepSettings(model, position, splitSeed, options, CcsProbe.CodeVersion));

    /// <summary>What a layer sweep is saved under (a named record: renaming a variable cannot re-key it).</summary>
    public sealed record SweepSettings(
        string Model,
        TokenPosition Position,
        int SplitSeed,
        CcsOptions Ccs,
        int CodeVersion
    );

    public static List<LayerSweepRow> Run(
        PairActivations activations,
        string dataset,
        CcsOptions options,
        int splitSeed = 0,
        IEnumerable<int>? layers = null,
        IProgress<LayerSweepProgress>? progress = null
    )
    {
        var (trainRows, testRows) = activations.Split(splitSeed);
        var rows = new List<LayerSweepRow>();
        var chosenLayers = (layers ?? Enumerable.Range(0, activations.Layers)).ToList();
        foreach (var layer in chosenLayers)
        {
            progress?.Report(new LayerSweepProgress(dataset, layer, activations.Layers));
            var states = activations.AtLayer(layer);
            var cmp = MethodComparison.Run(states.Select(trainRows), states.Select(testRows), options);
            rows.AddRange(Rows(cmp, dataset, layer));
        }
        return rows;
    }

    /// <summary>The rows of one comparison: every method's every restart/seed, CCS's with train and test
    /// loss.</summary>
    public static IEnumerable<LayerSweepRow> Rows(Comparison cmp, string dataset, int layer)
    {
        var labels = cmp.Test.Labels;
        var ccs = cmp.Ccs.Report(cmp.Test);
        foreach (var m in cmp.Methods)
            for (var i = 0; i < m.Scores.Length; i++)
            {
                var isCcs = m.Method == MethodNames.Ccs;
                yield return new LayerSweepRow(
                    dataset,
                    layer,
                    m.Method,
                    i,
                    i == m.Best,
                    Metrics.Accuracy(m.Scores[i], labels).Value,
                    Metrics.DisambiguatedAuroc(m.Scores[i], labels),
                    isCcs ? ccs[i].TrainLoss : double.NaN,
                    isCcs ? ccs[i].Loss : double.NaN
                );
            }
    }

    /// <summary>The chosen row of each (dataset, layer, method): what a layer-sweep chart plots. Random probes have no
    /// chosen seed in the papers, so for them this is the mean over seeds (Index −1).</summary>
    public static List<LayerSweepRow> Chosen(IEnumerable<LayerSweepRow> rows) =>
        rows.GroupBy(r => (r.Dataset, r.Layer, r.Method))
            .Select(g =>
                g.Key.Method == MethodNames.Random
                    ? g.First() with
                    {
                        Index = -1,
                        Accuracy = g.Average(r => r.Accuracy),
                        Auroc = g.Average(r => r.Auroc),
                    }
                    : g.Single(r => r.IsChosen)
            )
            .ToList();

    /// <summary>Burns et al. pick, without labels, the part of the model whose CCS probe has the lower training loss;
    /// this applies the same rule to layers: per dataset, the layer of lowest chosen-CCS training loss.</summary>
    public static Dictionary<string, int> LayerOfLowestCcsLoss(IEnumerable<LayerSweepRow> rows) =>
        rows.Where(r => r.Method == MethodNames.Ccs && r.IsChosen)
            .GroupBy(r => r.Dataset)
            .ToDictionary(g => g.Key, g => g.MinBy(r => r.TrainLoss)!.Layer);
}
