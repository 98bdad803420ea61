using ScienceOfDL.Ccs.Probing;
using static TorchSharp.torch;

namespace ScienceOfDL.Tests;

public class CcsLossTests
{
    static Tensor T(params float[] v) => tensor(v);

    [Fact]
    public void Burns_loss_matches_hand_computed_values()
    {
        // pairs: (p+, p-) = (0.8, 0.1), (0.3, 0.6), (0.9, 0.95)
        var pPos = T(0.8f, 0.3f, 0.9f);
        var pNeg = T(0.1f, 0.6f, 0.95f);
        // consistency: (0.8-0.9)², (0.3-0.4)², (0.9-0.05)² = 0.01, 0.01, 0.7225
        Assert.Equal((0.01 + 0.01 + 0.7225) / 3, CcsLoss.Consistency(pPos, pNeg).item<float>(), 5);
        // confidence: min² = 0.1², 0.3², 0.9² = 0.01, 0.09, 0.81
        Assert.Equal((0.01 + 0.09 + 0.81) / 3, CcsLoss.Confidence(pPos, pNeg, ConfidenceTerm.Burns).item<float>(), 5);
        Assert.Equal((0.7425 + 0.91) / 3, CcsLoss.Total(pPos, pNeg).item<float>(), 5);
    }

    [Fact]
    public void Symmetric_confidence_takes_the_distance_to_either_end()
    {
        var pPos = T(0.8f, 0.3f, 0.9f);
        var pNeg = T(0.1f, 0.6f, 0.95f);
        // min{p+, p-, 1-p+, 1-p-}² = 0.1², 0.3², 0.05² (the third pair: both near 1, so Burns' term is large, this one
        // small)
        Assert.Equal(
            (0.01 + 0.09 + 0.0025) / 3,
            CcsLoss.Confidence(pPos, pNeg, ConfidenceTerm.Symmetric).item<float>(),
            5
        );
    }

    [Fact]
    public void Constant_probe_minimum_is_at_0_4_for_Burns_and_symmetric_for_Farquhar()
    {
        // Farquhar et al. App. A.2: with p ≡ k the Burns loss (2k−1)² + k² is minimised at k = 0.4; the symmetric loss
        // has the same value at k and 1 − k.
        var ks = Enumerable.Range(0, 1001).Select(i => i / 1000f).ToArray();
        var burns = ks.Select(k => CcsLoss.Total(T(k), T(k)).item<float>()).ToArray();
        Assert.Equal(0.4, ks[Array.IndexOf(burns, burns.Min())], 3);
        var sym = ks.Select(k => CcsLoss.Total(T(k), T(k), ConfidenceTerm.Symmetric).item<float>()).ToArray();
        Assert.Equal(sym[400], sym[600], 5);
        Assert.True(sym[400] < sym[500]);
        Assert.NotEqual(burns[400], burns[600], 3);
    }

    [Fact]
    public void Losses_are_per_restart_over_the_last_axis()
    {
        var pPos = tensor(new float[] { 0.8f, 0.3f, 0.5f, 0.5f }).reshape(2, 2);
        var pNeg = tensor(new float[] { 0.1f, 0.6f, 0.5f, 0.5f }).reshape(2, 2);
        var loss = CcsLoss.Total(pPos, pNeg).data<float>().ToArray();
        Assert.Equal(2, loss.Length);
        Assert.Equal((0.01 + 0.01) / 2 + (0.01 + 0.09) / 2, loss[0], 5);
        Assert.Equal(0.25, loss[1], 5); // p ≡ ½: consistent, maximally unconfident
    }

    [Fact]
    public void Average_confidence_is_the_mean_of_p_plus_and_one_minus_p_minus()
    {
        Assert.Equal(0.85, CcsLoss.AverageConfidence(T(0.8f), T(0.1f)).item<float>(), 5);
    }
}
