using ScienceOfDL.Ccs.Analysis;
using ScienceOfDL.Ccs.Baselines;
using ScienceOfDL.Ccs.Experiments;
using ScienceOfDL.Ccs.Probing;
using ScienceOfDL.Statistics;

namespace ScienceOfDL.Plots;

/// <summary>The charts of notebook 03 (CCS as principal component analysis), built from the library's typed
/// rows.</summary>
public static class CcsPcaCharts
{
    /// <summary>|cos| between every CCS restart's direction and each principal component of the training
    /// differences, one row per restart (the lowest-loss one marked).</summary>
    public static Figure CosineHeatmap(CcsFit fit, PcaResult pca, string title)
    {
        var abs = DirectionSimilarity.AbsCosines(fit, pca);
        return Plot.Heatmap(
            abs,
            x: Enumerable.Range(1, abs[0].Length).Select(i => $"PC{i}"),
            y: fit.Restarts.Select(r => $"restart {r.Index}{(r.Index == fit.Best ? " (best)" : "")} loss {r.Loss:F3}"),
            title: title,
            xTitle: "principal component of the training differences",
            zMin: 0,
            zMax: 1
        );
    }

    /// <summary>Contours of the CCS loss over the plane, with the restarts' trained weights as markers (hover: loss
    /// and share of the weight in the plane).</summary>
    public static Figure Landscape(PlaneView view, string title, string xName = "PC1", string yName = "PC2")
    {
        var (land, points) = (view.Land, view.Points);
        // Contour takes z[row][column] with rows along the y axis (b) and columns along x (a).
        var z = Enumerable
            .Range(0, land.B.Length)
            .Select(j => land.A.Select((_, i) => land.Loss[i][j]).ToArray())
            .ToArray();
        return Plot.Contour(
                z,
                land.A,
                land.B,
                title: title,
                xTitle: $"a (weight along {xName})",
                yTitle: $"b (weight along {yName})"
            )
            .Markers(
                "CCS restarts",
                points.Select(p => p.A),
                points.Select(p => p.B),
                points.Select(p =>
                    $"restart {p.Restart}{(p.IsBest ? " (best)" : "")}: loss {p.Loss:F3}, "
                    + $"{100 * p.ShareInPlane:F0}% in plane"
                )
            );
    }

    /// <summary>Test accuracy of CCS, TPC and BSS for each reading of Emmons' argument, with 95% Wilson intervals
    /// and the chance level.</summary>
    public static Figure Readings(IReadOnlyList<EmmonsReading> readings, string title)
    {
        var bars = readings.SelectMany(r =>
            new[]
            {
                (Reading: Plain(r), Method: "CCS", Acc: r.Ccs),
                (Reading: Plain(r), Method: "top principal component (TPC)", Acc: r.Tpc),
                (Reading: Plain(r), Method: "BSS", Acc: Proportion.Wilson(r.Bss, r.TestPairs)),
            }
        );
        return Plot.Bars(
                bars,
                x: b => b.Reading,
                y: b => b.Acc.Value,
                series: b => b.Method,
                title: title,
                yTitle: "test accuracy",
                ci: b => b.Acc
            )
            .HLine(0.5, "chance")
            .YRange(0.4, 1.0);
    }

    /// <summary>A reading's name in words: the dataset, and the centring where the answer words vary.</summary>
    static string Plain(EmmonsReading r) =>
        r.Dataset == "polar-statements" ? "polar statements (fixed answer words)"
        : r.Centring == Centring.PerAnswerWord ? $"{r.Dataset}, centred per answer word"
        : $"{r.Dataset}, centred per half";

    /// <summary>Test accuracy by dataset and layer for CCS, TPC, BSS, supervised logistic regression and untrained
    /// probes, as wide as the page allows.</summary>
    public static Figure AccuracyBars(IReadOnlyList<CcsPcaSummary> summary, string title) =>
        Plot.Bars(
                summary,
                x: s => $"{s.Dataset} L{s.Layer}",
                ys:
                [
                    ("CCS", s => s.Ccs),
                    ("PCA (TPC)", s => s.Pca),
                    ("BSS", s => s.Bss),
                    ("LR (pair)", s => s.LrPair),
                    ("random", s => s.RandomMean),
                ],
                title: title,
                yTitle: "accuracy"
            )
            .YRange(0.4, 1.0) with
        {
            Height = 440,
        };

    /// <summary>Observed CCS–PCA agreement against the independent-errors baseline: Farquhar et al.'s cells and ours,
    /// with the diagonal.</summary>
    public static Figure Agreement(
        IEnumerable<FarquharCell> paper,
        IEnumerable<CcsPcaSummary> ours,
        string model,
        string title
    )
    {
        var points = paper
            .Select(f => (Source: "Farquhar et al. App. D.6", Label: f.Cell, f.Independent, f.Agreement))
            .Concat(
                ours.Select(s =>
                    (
                        Source: $"{model} (ours)",
                        Label: $"{s.Dataset} L{s.Layer}",
                        Independent: s.IndependentCcsPca,
                        Agreement: s.AgreementCcsPca
                    )
                )
            );
        return Plot.Scatter(
                points,
                x: p => p.Independent,
                y: p => p.Agreement,
                series: p => p.Source,
                text: p => p.Label,
                title: title,
                xTitle: "agreement expected if independent",
                yTitle: "observed agreement"
            )
            .Line("agreement = independent", new[] { 0.4, 1.0 }, new[] { 0.4, 1.0 }, Dash.Dot);
    }
}
