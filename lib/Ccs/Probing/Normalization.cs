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

/// <summary>What is subtracted before scaling.</summary>
public enum Centring
{
    /// <summary>Each half centred on its own mean within its template (Burns et al. §2.2).</summary>
    PerHalf,

    /// <summary>First each answer word's mean state is subtracted (over every half that ends with that word, within its
    /// template), then each half is centred as in <see cref="PerHalf"/>. Where a template always answers with the same
    /// two words this is per-half centring; where the answers vary (topics: the topic names offered) it removes which
    /// words were offered, leaving how each word reads in its context.</summary>
    PerAnswerWord,
}

/// <summary>
/// Burns et al. §2.2 normalisation: within each prompt template, the set {φ(x⁺)} and the set {φ(x⁻)} are each centred
/// on their own mean, which removes the "ends with Yes vs ends with No" offset that would otherwise be the easiest
/// feature to find. Call it separately on the train and the test split: as in Burns' code, the test split uses its own
/// statistics.
/// </summary>
public static class Normalization
{
    public static HiddenPairs Burns(
        HiddenPairs pairs,
        Scaling scaling = Scaling.PerHalf,
        Centring centring = Centring.PerHalf
    )
    {
        pairs.Validate();
        if (centring == Centring.PerAnswerWord && pairs.PosAnswers is null)
            throw new ArgumentException(
                "per-answer-word centring needs each half's answer (HiddenPairs.PosAnswers)",
                nameof(pairs)
            );
        var pos = pairs.Pos.clone();
        var neg = pairs.Neg.clone();
        foreach (var template in pairs.Templates.Distinct())
        {
            using var scope = NewDisposeScope();
            var rows = Enumerable
                .Range(0, pairs.Count)
                .Where(i => pairs.Templates[i] == template)
                .Select(i => (long)i)
                .ToArray();
            var index = tensor(rows, int64, pairs.Device);
            var p = pos.index_select(0, index);
            var n = neg.index_select(0, index);
            if (centring == Centring.PerAnswerWord)
                CentreAnswerWords(
                    p,
                    n,
                    rows.Select(i => pairs.PosAnswers![i]).ToArray(),
                    rows.Select(i => pairs.NegAnswers![i]).ToArray()
                );
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

    /// <summary>Subtracts from every half the mean state of all halves (x⁺ and x⁻ alike) that end with the same answer,
    /// in place.</summary>
    static void CentreAnswerWords(Tensor pos, Tensor neg, string[] posWords, string[] negWords)
    {
        var words = posWords.Concat(negWords).Distinct().Select((w, i) => (w, i)).ToDictionary(x => x.w, x => x.i);
        var ip = tensor(posWords.Select(w => (long)words[w]).ToArray(), int64, pos.device);
        var ineg = tensor(negWords.Select(w => (long)words[w]).ToArray(), int64, pos.device);
        var sums = zeros(new long[] { words.Count, pos.shape[1] }, pos.dtype, pos.device);
        sums.index_add_(0, ip, pos, 1.0).index_add_(0, ineg, neg, 1.0);
        var counts = zeros(new long[] { words.Count }, pos.dtype, pos.device);
        counts.index_add_(0, ip, ones_like(ip, pos.dtype), 1.0).index_add_(0, ineg, ones_like(ineg, pos.dtype), 1.0);
        var means = sums / counts.unsqueeze(1);
        pos.sub_(means.index_select(0, ip));
        neg.sub_(means.index_select(0, ineg));
    }

    /// <summary>Mean over dimensions of the per-dimension (population) standard deviation of centred rows; never
    /// zero.</summary>
    public static Tensor AverageStd(Tensor centred) => DimensionStd(centred).mean().clamp_min(1e-12);

    /// <summary>The (population) standard deviation of each column of centred rows, [1, d]; a constant column gets
    /// 1e-12 (it is all zeros after centring, and stays zero).</summary>
    public static Tensor DimensionStd(Tensor centred) =>
        centred.square().mean(new long[] { 0 }, keepdim: true).sqrt().clamp_min(1e-12);
}
