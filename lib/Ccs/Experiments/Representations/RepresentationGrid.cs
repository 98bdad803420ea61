using ScienceOfDL.Ccs.Probing;
using ScienceOfDL.LanguageModels;

namespace ScienceOfDL.Ccs.Experiments;

/// <summary>The representation knobs the study crosses: layers (0 = embeddings), token positions, scalings and
/// centrings (per half, Burns' default; per answer word, for data whose answers vary).</summary>
public sealed record RepresentationGrid(
    IReadOnlyList<int> Layers,
    IReadOnlyList<TokenPosition> Tokens,
    IReadOnlyList<Scaling> Scalings
)
{
    public IReadOnlyList<Centring> Centrings { get; init; } = [Centring.PerHalf];

    /// <summary>Layers 1–<paramref name="layers"/>, every token position, every scaling, per-half centring.</summary>
    public static RepresentationGrid Full(int layers) =>
        new(Enumerable.Range(1, layers).ToArray(), Enum.GetValues<TokenPosition>(), Enum.GetValues<Scaling>());

    public int Count => Layers.Count * Tokens.Count * Scalings.Count * Centrings.Count;
}
