using ScienceOfDL.Ccs.Probing;
using ScienceOfDL.LanguageModels;

namespace ScienceOfDL.Ccs.Experiments;

/// <summary>Progress of the representation study: the setting just fitted, and how many of the total are
/// done.</summary>
public sealed record RepresentationProgress(
    string Dataset,
    string Subset,
    string Template,
    TokenPosition Token,
    int Layer,
    Scaling Scaling,
    int Done,
    int Total,
    Centring Centring = Centring.PerHalf
)
{
    public override string ToString() =>
        $"{Dataset} [{Subset} / {Template}] {Token} layer {Layer} {Scaling} {Centring}-centred: {Done}/{Total}";
}
