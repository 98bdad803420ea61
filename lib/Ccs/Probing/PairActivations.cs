using ScienceOfDL.Ccs.Analysis;
using ScienceOfDL.Ccs.Data;
using ScienceOfDL.LanguageModels;
using static TorchSharp.torch;

namespace ScienceOfDL.Ccs.Probing;

/// <summary>
/// Contrast pairs run through a language model: the hidden states of both halves at every layer, Pos and Neg
/// [pairs, layers + 1, d] on the CPU (layer 0 = embeddings). Read from the hidden-state cache when the same texts were
/// seen.
/// </summary>
public sealed record PairActivations(IReadOnlyList<ContrastPair> Pairs, Tensor Pos, Tensor Neg)
{
    public int Count => Pairs.Count;
    public int Layers => (int)Pos.shape[1];
    public int[] Labels => Pairs.Select(p => p.Label).ToArray();
    public int[] Templates => Pairs.Select(p => p.Template).ToArray();

    /// <summary>A distractor's tag for every pair (e.g. "banana"), as labels to score methods against.</summary>
    public int[] Tag(string name) => Pairs.Select(p => p.Tag(name)).ToArray();

    public static PairActivations Extract(
        ILanguageModel model,
        IReadOnlyList<ContrastPair> pairs,
        TokenPosition position = TokenPosition.Last,
        IProgress<ExtractionProgress>? progress = null,
        string? cacheDir = null
    ) => Extract(model, pairs, [position], progress, cacheDir)[position];

    /// <summary>The pairs at several token positions, all read off one forward pass (and one cache file) per text. The
    /// answer's tokens (<see cref="TokenPosition.Answer"/>) need pairs that know where their answers are, as
    /// <see cref="ContrastPairs.Build(IReadOnlyList{Example}, PromptTemplate, int, int?, int?, Distractor?)"/> makes
    /// them.</summary>
    public static IReadOnlyDictionary<TokenPosition, PairActivations> Extract(
        ILanguageModel model,
        IReadOnlyList<ContrastPair> pairs,
        IReadOnlyList<TokenPosition> positions,
        IProgress<ExtractionProgress>? progress = null,
        string? cacheDir = null
    )
    {
        if (pairs.Count == 0)
            throw new ArgumentException("no contrast pairs to extract", nameof(pairs));
        // Both halves in one request, so one cache file holds the whole set.
        var texts = pairs.Select(p => p.Positive).Concat(pairs.Select(p => p.Negative)).ToList();
        var answers = pairs.All(p => p.PositiveAnswer is not null && p.NegativeAnswer is not null)
            ? pairs.Select(p => p.PositiveAnswer!.Value).Concat(pairs.Select(p => p.NegativeAnswer!.Value)).ToList()
            : null;
        using var states = HiddenStateCache.HiddenStates(model, texts, answers, positions, cacheDir, progress);
        var n = pairs.Count;
        return positions
            .Distinct()
            .ToDictionary(
                p => p,
                p =>
                {
                    var k = positions.ToList().IndexOf(p);
                    return new PairActivations(pairs, states[k, ..n].clone(), states[k, n..].clone());
                }
            );
    }

    /// <summary>The pairs' states at one layer, as the <see cref="HiddenPairs"/> every CCS method takes.</summary>
    public HiddenPairs AtLayer(int layer, Device? device = null)
    {
        if (layer < 0 || layer >= Layers)
            throw new ArgumentOutOfRangeException(
                nameof(layer),
                $"layer {layer}, but the model has layers 0..{Layers - 1}"
            );
        var d = device ?? CPU;
        var known = Pairs.All(p => p.PositiveAnswer is not null && p.NegativeAnswer is not null);
        return new(Pos[.., layer, ..].contiguous().to(d), Neg[.., layer, ..].contiguous().to(d), Labels, Templates)
        {
            PosAnswers = known ? Pairs.Select(p => p.PositiveAnswerText!).ToArray() : null,
            NegAnswers = known ? Pairs.Select(p => p.NegativeAnswerText!).ToArray() : null,
        };
    }

    /// <summary>Burns' 60/40 split by question: every template of one example lands on the same side.</summary>
    public (int[] Train, int[] Test) Split(int seed, double trainFraction = 0.6)
    {
        var ids = Pairs.Select(p => p.Id).Distinct().Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        return Metrics.TrainTestSplit(Count, seed, trainFraction, Pairs.Select(p => ids[p.Id]).ToArray());
    }

    /// <summary>The study's 60/20/20 split by question (<see cref="Metrics.StudySplit"/>): every template of one
    /// example lands on the same side; the training side is the same as <see cref="Split"/>'s.</summary>
    public DataSplit StudySplit(int seed)
    {
        var ids = Pairs.Select(p => p.Id).Distinct().Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        return Metrics.StudySplit(Count, seed, Pairs.Select(p => ids[p.Id]).ToArray());
    }

    /// <summary>The pairs with the given indices (a split, a subset by tag...).</summary>
    public PairActivations Select(int[] rows)
    {
        using var index = tensor(rows.Select(r => (long)r).ToArray(), int64);
        return new(rows.Select(r => Pairs[r]).ToList(), Pos.index_select(0, index), Neg.index_select(0, index));
    }
}
