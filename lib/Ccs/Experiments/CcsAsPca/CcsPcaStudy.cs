using ScienceOfDL.Ccs.Analysis;
using ScienceOfDL.Ccs.Baselines;
using ScienceOfDL.Ccs.Data;
using ScienceOfDL.Ccs.Probing;
using ScienceOfDL.LanguageModels;
using ScienceOfDL.Results;
using static TorchSharp.torch;

namespace ScienceOfDL.Ccs.Experiments;

/// <summary>What one row of notebook 03's summary varies in: the dataset, its pairs' fingerprint, the layer and the
/// centring. Its JSON tags the row in the saved CSV, so the property names and their order are part of the
/// key.</summary>
public sealed record CcsPcaJob(string Dataset, string Pairs, int Layer, Centring Centring);

/// <summary>
/// Notebook 03's study: every method fitted on the training side of each dataset's split by question at each layer
/// and centring, scored on the test side, one <see cref="CcsPcaSummary"/> row each, saved as it goes. Hidden states are
/// extracted once per dataset and each comparison is fitted once, so the sections that look closer at one setting
/// (<see cref="Compare"/>) reuse what the sweep computed.
/// </summary>
public sealed class CcsPcaStudy(
    ILanguageModel model,
    IReadOnlyDictionary<string, IReadOnlyList<ContrastPair>> pairs,
    TokenPosition position,
    Scaling scaling,
    CcsOptions options,
    int splitSeed,
    Device device,
    IProgress<ExtractionProgress>? extractProgress = null
)
{
    readonly Dictionary<string, PairActivations> _activations = [];
    readonly Dictionary<(string, int, Centring), Comparison> _comparisons = [];

    /// <summary>The dataset's hidden states at the study's token position (extracted on first use).</summary>
    public PairActivations Activations(string dataset) =>
        _activations.TryGetValue(dataset, out var a)
            ? a
            : _activations[dataset] = PairActivations.Extract(model, pairs[dataset], position, extractProgress);

    /// <summary>The dataset's split by question (notebook 01's 60/20/20): train and test sides.</summary>
    public DataSplit Split(string dataset) => Activations(dataset).StudySplit(splitSeed);

    /// <summary>Every method fitted on the training side at <paramref name="layer"/> and scored on the test side,
    /// each side normalised on its own with the study's scaling and <paramref name="centring"/> (fitted
    /// once).</summary>
    public Comparison Compare(string dataset, int layer, Centring centring)
    {
        if (_comparisons.TryGetValue((dataset, layer, centring), out var cached))
            return cached;
        var split = Split(dataset);
        var states = Activations(dataset).AtLayer(layer, device);
        return _comparisons[(dataset, layer, centring)] = TorchThreads.One(() =>
            MethodComparison.Run(
                states.Select(split.Train),
                states.Select(split.Test),
                options,
                scaling,
                centring: centring
            )
        );
    }

    /// <summary>One job per dataset × layer × centring, per-answer-word centring only where a dataset's answer words
    /// vary (elsewhere it is per-half centring).</summary>
    public IEnumerable<CcsPcaJob> Jobs(IEnumerable<int> layers, IEnumerable<Centring> centrings) =>
        from kv in pairs
        from l in layers
        from c in centrings
        where c == Centring.PerHalf || ContrastPairs.AnswerWordsVary(kv.Value)
        select new CcsPcaJob(kv.Key, ContrastPairs.Fingerprint(kv.Value), l, c);

    /// <summary>What the summary rows are saved under: the model, token, split, scaling and every CCS option.</summary>
    public ResultKey Key => CcsPcaSummary.Key(model.Name, position, splitSeed, options, scaling);

    /// <summary>Every job's summary row: read from <paramref name="store"/> where saved, else fitted and saved the
    /// moment it is done (an interrupted run resumes at the next row).</summary>
    public List<CcsPcaSummary> Sweep(
        ResultsStore store,
        IEnumerable<int> layers,
        IEnumerable<Centring> centrings,
        IProgress<CcsPcaSummary>? progress = null
    ) =>
        store.Sweep(
            Key,
            Jobs(layers, centrings),
            job =>
                CcsPcaSummary.Of(Compare(job.Dataset, job.Layer, job.Centring), job.Dataset, job.Layer, job.Centring),
            progress
        );
}
