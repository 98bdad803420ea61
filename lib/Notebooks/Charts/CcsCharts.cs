using ScienceOfDL.Ccs.Analysis;
using ScienceOfDL.Ccs.Baselines;
using ScienceOfDL.Ccs.Experiments;
using ScienceOfDL.Ccs.Probing;
using ScienceOfDL.LanguageModels;
using static TorchSharp.torch;

namespace ScienceOfDL.Plots;

/// <summary>The charts of the CCS notebooks (02), built from the library's typed rows.</summary>
public static class CcsCharts
{
    /// <summary>A grid cell's short label: dataset · where the state is read (the answer word, the mean, the word
    /// itself, [SEP]) · scaling.</summary>
    public static string ShortName(string dataset, TokenPosition token, Scaling scaling, Centring centring) =>
        $"{(dataset == "polar-statements" ? "polar" : dataset)} · "
        + token switch
        {
            TokenPosition.LastText => "the word",
            TokenPosition.Last => "[SEP]",
            TokenPosition.Answer => "answer",
            TokenPosition.Mean => "mean",
            _ => token.ToString(),
        }
        + " · "
        + scaling switch
        {
            Scaling.PerHalf => "per half",
            Scaling.PerDimension => "per dim.",
            _ => scaling.ToString(),
        }
        + (centring == Centring.PerHalf ? "" : $" · {centring}");

    static string ShortName(DistractorCell c) => ShortName(c.Dataset, c.Token, c.Scaling, c.Centring);

    static string ShortName(DistractorCellScore r) => ShortName(r.Dataset, r.Token, r.Scaling, r.Centring);

    static bool In(DistractorCellScore r, DistractorCell c) =>
        r.Dataset == c.Dataset
        && r.Token == c.Token
        && r.Scaling == c.Scaling
        && r.Centring == c.Centring
        && r.Layer == c.Layer;

    /// <summary>Each CCS seed's distractor accuracy per grid cell (a box of dots), PCA's and k-means' beside it and
    /// the untrained probes' mean, under <paramref name="prompts"/>.</summary>
    public static Figure DistractorGrid(
        IReadOnlyList<DistractorCellScore> rows,
        IReadOnlyList<DistractorCell> cells,
        string prompts,
        double threshold,
        string title,
        string yTitle
    )
    {
        var on = rows.Where(r => r.Prompts == prompts).ToList();
        var names = cells.Select(ShortName).ToArray();
        double[] Marks(string m, Func<IEnumerable<DistractorCellScore>, double> f) =>
            cells.Select(c => f(on.Where(r => In(r, c) && r.Method == m))).ToArray();
        return Plot.Box(
                on.Where(r => r.Method == MethodNames.Ccs),
                y: r => r.Distractor,
                group: ShortName,
                title: title,
                yTitle: yTitle,
                color: "#1f77b4"
            )
            .Markers("PCA", names, Marks(MethodNames.Pca, r => r.Single().Distractor), color: "#d62728", size: 10)
            .Markers(
                "k-means",
                names,
                Marks(MethodNames.KMeans, r => r.Single().Distractor),
                color: "#2ca02c",
                size: 10
            )
            .Markers(
                "untrained (mean)",
                names,
                Marks(MethodNames.Random, r => r.Average(s => s.Distractor)),
                color: "#7f7f7f",
                size: 10
            )
            .HLine(threshold, "follows (threshold)")
            .YRange(0.4, 1.02)
            .Size(1000, 560);
    }

    /// <summary>The run's pairs (train, then test) on their top two principal components, coloured by the
    /// distractor bit (named by <paramref name="bitNames"/>) or by truth.</summary>
    public static Figure PcaScatter(DistractorRun run, bool byDistractor, string title, string[] bitNames)
    {
        var cmp = run.Comparison;
        var pca = Pca.Fit(cmp.Train, components: 2);
        var (tr, te) = (pca.Project(cmp.Train), pca.Project(cmp.Test));
        var coords = Metrics.ToRows(cat(new[] { tr, te }).t());
        var colour = byDistractor
            ? run.TrainDistractor.Concat(run.TestDistractor).ToArray()
            : cmp.Train.Labels.Concat(cmp.Test.Labels).ToArray();
        string[] names = byDistractor ? bitNames : ["x⁻ true (negative)", "x⁺ true (positive)"];
        return Plot.Scatter(
                Enumerable.Range(0, colour.Length),
                x: i => coords[0][i],
                y: i => coords[1][i],
                series: i => names[colour[i]],
                size: 6,
                title: title,
                xTitle: $"PC1 ({pca.VarianceRatio[0]:P0} of variance)",
                yTitle: $"PC2 ({pca.VarianceRatio[1]:P0})"
            )
            .Size(600, 460);
    }

    /// <summary>Truth and banana accuracy by layer, one line per prompt set × method × measure, the
    /// <paramref name="dotted"/> prompt set (the one without the word) dotted. LR shows truth only, and so does the
    /// dotted set: without the word its "banana" is the control coin, at chance (its own chart), and leaving it out
    /// keeps the chart at 8 lines.</summary>
    public static Figure LayerLines(IReadOnlyList<LayerMean> rows, string dotted, string title)
    {
        static string Name(LayerMean r, string measure) => $"{r.Prompts}: {r.Method} {measure}";
        var points = rows.SelectMany(r =>
                new[] { (r, Name: Name(r, "truth"), V: r.Truth), (r, Name: Name(r, "banana"), V: r.Banana) }
            )
            .Where(p => p.Name != Name(p.r, "banana") || (p.r.Method != MethodNames.LrPair && p.r.Prompts != dotted))
            .ToList();
        var dots = points.Where(p => p.r.Prompts == dotted).Select(p => p.Name).ToHashSet();
        return Plot.Lines(
                points,
                x: p => p.r.Layer,
                y: p => p.V,
                series: p => p.Name,
                markers: true,
                title: title,
                xTitle: "layer",
                yTitle: "test accuracy"
            )
            .Style(s => dots.Contains(s.Name), dash: Dash.Dot)
            .Size(860, 480);
    }

    /// <summary>Alice and truth accuracy by the number of mentions, one line per method and measure (truth
    /// dotted).</summary>
    public static Figure MentionLines(IReadOnlyList<MentionMean> rows, string title)
    {
        var points = rows.SelectMany(r =>
                new[]
                {
                    (r.Mentions, Name: $"{r.Method}: Alice", V: r.Alice, Truth: false),
                    (r.Mentions, Name: $"{r.Method}: truth", V: r.Truth, Truth: true),
                }
            )
            .ToList();
        var dots = points.Where(p => p.Truth).Select(p => p.Name).ToHashSet();
        return Plot.Lines(
                points,
                x: p => p.Mentions,
                y: p => p.V,
                series: p => p.Name,
                markers: true,
                title: title,
                xTitle: "mentions of Alice's opinion",
                yTitle: "test accuracy"
            )
            .Style(s => dots.Contains(s.Name), dash: Dash.Dot)
            .Size(760, 460);
    }

    /// <summary>The implicit-opinion test: mean accuracy by subset per method, then each seed's company against
    /// other-topics accuracy.</summary>
    public static Figure[] Company(IReadOnlyList<SubsetScore> rows, IReadOnlyList<string> methods, int seeds) =>
        [
            Plot.Bars(
                    rows.Where(r => methods.Contains(r.Method))
                        .GroupBy(r => (r.Method, r.Subset))
                        .Select(g => (g.Key.Method, g.Key.Subset, Acc: g.Average(r => r.Accuracy))),
                    x: r => r.Method,
                    y: r => r.Acc,
                    series: r => r.Subset,
                    title: "Implicit opinion: truth accuracy by subset (oriented on "
                        + $"other topics; CCS: mean of {seeds} seeds)",
                    yTitle: "test accuracy"
                )
                .YRange(0, 1),
            Plot.Scatter(
                methods.SelectMany(m =>
                    CompanyOpinion
                        .Accuracies(rows, m, CompanyOpinion.Other)
                        .Zip(CompanyOpinion.Accuracies(rows, m, CompanyOpinion.Company), (o, c) =>
                            (Method: m, Other: o, Company: c)
                        )
                ),
                x: r => r.Other,
                y: r => r.Company,
                series: r => r.Method,
                title: "Each seed / method: company vs other topics (below 0.5 on companies = follows Alice)",
                xTitle: "accuracy on other topics (sets the orientation)",
                yTitle: "accuracy on company questions"
            ),
        ];

    /// <summary>Truth accuracy per method, one bar per instruction prompt.</summary>
    public static Figure PromptBars(IReadOnlyList<PromptMean> rows, int seeds) =>
        Plot.Bars(
                rows,
                x: r => r.Method,
                y: r => r.Truth,
                series: r => r.Prompt,
                title: $"Truth accuracy per instruction prompt (CCS, random: mean of {seeds} seeds)",
                yTitle: "test accuracy"
            )
            .YRange(0.3, 1.0)
            .Size(820, 440);
}
