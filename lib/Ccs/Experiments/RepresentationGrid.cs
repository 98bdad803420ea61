using ScienceOfDL.Ccs.Probing;
using ScienceOfDL.LanguageModels;

namespace ScienceOfDL.Ccs.Experiments;

/// <summary>The representation knobs the study crosses: layers (0 = embeddings), token positions and
/// scalings.</summary>
public sealed record RepresentationGrid(
    IReadOnlyList<int> Layers, IReadOnlyList<TokenPosition> Tokens, IReadOnlyList<Scaling> Scalings)
{
    /// <summary>Layers 1–<paramref name="layers"/>, every token position, every scaling.</summary>
    public static RepresentationGrid Full(int layers) =>
        new(Enumerable.Range(1, layers).ToArray(), Enum.GetValues<TokenPosition>(), Enum.GetValues<Scaling>());

    public int Count => Layers.Count * Tokens.Count * Scalings.Count;
}
