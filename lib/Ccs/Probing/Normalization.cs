using static TorchSharp.torch;

namespace ScienceOfDL.Ccs.Probing;

/// <summary>How the centred halves are rescaled. Scaling is "less essential than mean normalisation" (Burns App.
/// G.1).</summary>
public enum Scaling
{
    /// <summary>Mean-centring only (Burns' public code with var_normalize off).</summary>
    None,
    /// <summary>Each half divided by its own average per-dimension standard deviation: one scalar per half and template
    /// (our reading of Burns App. G.1, which gives one scale per half).</summary>
    PerHalf,
    /// <summary>Both halves divided by one scalar, the average per-dimension std over both halves (EleutherAI's
    /// BurnsNorm, which Farquhar et al. say they follow).</summary>
    Shared,
    /// <summary>Each dimension of each half divided by its own standard deviation, so every coordinate has unit
    /// variance (Burns' public code with var_normalize on). Unlike the scalar scalings this changes which directions
    /// have the most variance, and so what PCA and CCS see first.</summary>
    PerDimension,
}

/// <summary>
/// Burns et al. §2.2 normalisation: within each prompt template, the set {φ(x⁺)} and the set {φ(x⁻)} are each centred
/// on their own mean, which removes the "ends with Yes vs ends with No" offset that would otherwise be the easiest
/// feature to find. Call it separately on the train and the test split: as in Burns' code, the test split uses its own
/// statistics.
/// </summary>
public static class Normalization
{
    public static HiddenPairs Burns(HiddenPairs pairs, Scaling scaling = Scaling.PerHalf)
    {
        pairs.Validate();
        var pos = pairs.Pos.clone();
        var neg = pairs.Neg.clone();
        foreach (var template in pairs.Templates.Distinct())
        {
            using var scope = NewDisposeScope();
            var rows = Enumerable.Range(0, pairs.Count).Where(i => pairs.Templates[i] == template).Select(i =>
                (long)i).ToArray();
            var index = tensor(rows, int64, pairs.Device);
            var p = pos.index_select(0, index);
            var n = neg.index_select(0, index);
            p -= p.mean(new long[] { 0 }, keepdim: true);
            n -= n.mean(new long[] { 0 }, keepdim: true);
            switch (scaling)
            {
                case Scaling.PerHalf:
                    p /= AverageStd(p);
                    n /= AverageStd(n);
                    break;
                case Scaling.Shared:
                    var s = (AverageStd(p) + AverageStd(n)) / 2;
                    p /= s;
                    n /= s;
                    break;
                case Scaling.PerDimension:
                    p /= DimensionStd(p);
                    n /= DimensionStd(n);
                    break;
            }
            pos.index_copy_(0, index, p);
            neg.index_copy_(0, index, n);
        }
        return pairs with { Pos = pos, Neg = neg };
    }

    /// <summary>Mean over dimensions of the per-dimension (population) standard deviation of centred rows; never
    /// zero.</summary>
    public static Tensor AverageStd(Tensor centred) => DimensionStd(centred).mean().clamp_min(1e-12);

    /// <summary>The (population) standard deviation of each column of centred rows, [1, d]; a constant column gets
    /// 1e-12 (it is all zeros after centring, and stays zero).</summary>
    public static Tensor DimensionStd(Tensor centred) =>
        centred.square().mean(new long[] { 0 }, keepdim: true).sqrt().clamp_min(1e-12);
}
