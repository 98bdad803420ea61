using ScienceOfDL.LanguageModels;
using static TorchSharp.torch;
using ScienceOfDL.Ccs.Analysis;
using ScienceOfDL.Ccs.Data;

namespace ScienceOfDL.Ccs.Probing;

/// <summary>
/// Contrast pairs run through a language model: the hidden states of both halves at every layer, Pos and Neg
/// [pairs, layers + 1, d] on the CPU (layer 0 = embeddings). Read from the hidden-state cache when the same texts were seen.
/// </summary>
public sealed record PairActivations(IReadOnlyList<ContrastPair> Pairs, Tensor Pos, Tensor Neg)
{
    public int Count => Pairs.Count;
    public int Layers => (int)Pos.shape[1];
    public int[] Labels => Pairs.Select(p => p.Label).ToArray();
    public int[] Templates => Pairs.Select(p => p.Template).ToArray();

    /// <summary>A distractor's tag for every pair (e.g. "banana"), as labels to score methods against.</summary>
    public int[] Tag(string name) => Pairs.Select(p => p.Tag(name)).ToArray();

    public static PairActivations Extract(ILanguageModel model, IReadOnlyList<ContrastPair> pairs,
        TokenPosition position = TokenPosition.Last, IProgress<ExtractionProgress>? progress = null, string? cacheDir = null)
    {
        if (pairs.Count == 0) throw new ArgumentException("no contrast pairs to extract", nameof(pairs));
        // Both halves in one request, so one cache file holds the whole set.
        var texts = pairs.Select(p => p.Positive).Concat(pairs.Select(p => p.Negative)).ToList();
        var states = HiddenStateCache.HiddenStates(model, texts, position, cacheDir, progress);
        var n = pairs.Count;
        return new(pairs, states[..n], states[n..]);
    }

    /// <summary>The pairs' states at one layer, as the <see cref="HiddenPairs"/> every CCS method takes.</summary>
    public HiddenPairs AtLayer(int layer, Device? device = null)
    {
        if (layer < 0 || layer >= Layers) throw new ArgumentOutOfRangeException(nameof(layer), $"layer {layer}, but the model has layers 0..{Layers - 1}");
        var d = device ?? CPU;
        return new(Pos[.., layer, ..].contiguous().to(d), Neg[.., layer, ..].contiguous().to(d), Labels, Templates);
    }

    /// <summary>Burns' 60/40 split by question: every template of one example lands on the same side.</summary>
    public (int[] Train, int[] Test) Split(int seed, double trainFraction = 0.6)
    {
        var ids = Pairs.Select(p => p.Id).Distinct().Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        return Metrics.TrainTestSplit(Count, seed, trainFraction, Pairs.Select(p => ids[p.Id]).ToArray());
    }

    /// <summary>The pairs with the given indices (a split, a subset by tag...).</summary>
    public PairActivations Select(int[] rows)
    {
        using var index = tensor(rows.Select(r => (long)r).ToArray(), int64);
        return new(rows.Select(r => Pairs[r]).ToList(), Pos.index_select(0, index), Neg.index_select(0, index));
    }
}
