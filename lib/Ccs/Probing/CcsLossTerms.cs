using static TorchSharp.torch;

namespace ScienceOfDL.Ccs.Probing;

/// <summary>The CCS loss of one contrast pair, term by term: the probe's probabilities p(x⁺) and p(x⁻), the
/// consistency and confidence terms (<see cref="CcsLoss"/>) and their sum.</summary>
public sealed record CcsLossTerms(double PPos, double PNeg, double Consistency, double Confidence, double Loss)
{
    /// <summary>One row per pair of <paramref name="pPos"/> and <paramref name="pNeg"/> (1-D, one entry a
    /// pair).</summary>
    public static List<CcsLossTerms> PerPair(Tensor pPos, Tensor pNeg, ConfidenceTerm term = ConfidenceTerm.Burns)
    {
        using var scope = NewDisposeScope();
        return Enumerable
            .Range(0, (int)pPos.shape[0])
            .Select(i =>
            {
                var (p, n) = (pPos.narrow(0, i, 1), pNeg.narrow(0, i, 1));
                return new CcsLossTerms(
                    p.item<float>(),
                    n.item<float>(),
                    CcsLoss.Consistency(p, n).item<float>(),
                    CcsLoss.Confidence(p, n, term).item<float>(),
                    CcsLoss.Total(p, n, term).item<float>()
                );
            })
            .ToList();
    }
}
