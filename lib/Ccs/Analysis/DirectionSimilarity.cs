using ScienceOfDL.Ccs.Baselines;
using ScienceOfDL.Ccs.Probing;

namespace ScienceOfDL.Ccs.Analysis;

/// <summary>
/// How close CCS directions are to the principal components of the contrast-pair differences (AXRP 0:53:29, Emmons):
/// cosines between unit vectors. A direction and its negative are the same classifier up to the sign that both methods
/// leave open, so <see cref="AbsCosines"/> is the number to read; a random unit vector in d dimensions has |cos| ≈
/// √(2/(πd)).
/// </summary>
public static class DirectionSimilarity
{
    public static double Cosine(float[] a, float[] b)
    {
        if (a.Length != b.Length)
            throw new ArgumentException($"vectors of length {a.Length} and {b.Length}");
        double dot = 0,
            na = 0,
            nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }

    /// <summary>Signed cosines [restart][component] between every linear CCS restart's direction and the top principal
    /// components.</summary>
    public static double[][] Cosines(CcsFit fit, PcaResult pca)
    {
        var components = Metrics.ToRows(pca.Components);
        return fit
            .Restarts.Select(r =>
                r.Direction is { } dir
                    ? components.Select(c => Cosine(dir, c)).ToArray()
                    : throw new ArgumentException(
                        "cosines need linear CCS probes (an MLP probe has no single " + "direction)"
                    )
            )
            .ToArray();
    }

    public static double[][] AbsCosines(CcsFit fit, PcaResult pca) =>
        Cosines(fit, pca).Select(row => row.Select(Math.Abs).ToArray()).ToArray();

    /// <summary>Share of a unit direction's squared length inside the span of the components (1: it lies in that
    /// subspace).</summary>
    public static double ShareInSpan(float[] direction, PcaResult pca) =>
        Metrics.ToRows(pca.Components).Sum(c => Math.Pow(Cosine(direction, c), 2));

    /// <summary>Expected |cos| between two independent random directions in <paramref name="dim"/> dimensions, √(2/(π
    /// d)) for large d: the "unrelated" reference level.</summary>
    public static double RandomAbsCosine(int dim) => Math.Sqrt(2 / (Math.PI * dim));
}
