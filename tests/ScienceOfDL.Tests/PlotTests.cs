using System.Text.Json;
using System.Text.RegularExpressions;
using ScienceOfDL.Plots;
using ScienceOfDL.Statistics;

namespace ScienceOfDL.Tests;

public class PlotTests
{
    sealed record Point(int Step, double Accuracy, string Kind);

    static readonly Point[] Rows =
    [
        new(10, 0.2, "train"),
        new(10, 0.1, "test"),
        new(100, 0.9, "train"),
        new(100, 0.3, "test"),
        new(1000, 1.0, "train"),
        new(1000, 0.95, "test"),
    ];

    /// <summary>The plotly data and layout that the figure's HTML hands to Plotly.newPlot.</summary>
    static (JsonElement[] Data, JsonElement Layout, string Html) Drawn(Figure figure)
    {
        var html = figure.ToPlotly().GetInlineHtml();
        var m = Regex.Match(html, @"var data = (?<d>\[.*?\]);\s*var layout = (?<l>\{.*?\});", RegexOptions.Singleline);
        Assert.True(m.Success, html);
        var data = JsonDocument.Parse(m.Groups["d"].Value).RootElement.EnumerateArray().ToArray();
        return (data, JsonDocument.Parse(m.Groups["l"].Value).RootElement, html);
    }

    static double[] Numbers(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    [Fact]
    public void Rows_split_into_series_by_key_in_order_of_appearance()
    {
        var figure = Plot.Lines(
            Rows,
            x: r => r.Step,
            y: r => r.Accuracy,
            series: r => r.Kind,
            title: "grokking",
            xTitle: "step",
            yTitle: "accuracy",
            logX: true
        );
        Assert.Equal(["train", "test"], figure.Series.Select(s => s.Name));
        Assert.Equal([0.1, 0.3, 0.95], figure.Series[1].Y);
        var (data, layout, _) = Drawn(figure);
        Assert.Equal(2, data.Length);
        Assert.Equal([10.0, 100, 1000], Numbers(data[0].GetProperty("x")));
        Assert.Equal("lines", data[0].GetProperty("mode").GetString());
        Assert.Equal("grokking", layout.GetProperty("title").GetString());
        Assert.Equal("log", layout.GetProperty("xaxis").GetProperty("type").GetString());
        Assert.Equal("step", layout.GetProperty("xaxis").GetProperty("title").GetString());
        Assert.False(layout.GetProperty("yaxis").TryGetProperty("type", out _));
        // Series without a colour of their own take plotly's palette in order.
        Assert.Equal(Figure.Palette[1], data[1].GetProperty("line").GetProperty("color").GetString());
    }

    [Fact]
    public void Named_columns_reference_lines_and_styles()
    {
        var log = Rows.Where(r => r.Kind == "train").ToArray();
        var figure = Plot.Lines(
                log,
                x: r => r.Step,
                ys: [("accuracy", r => r.Accuracy), ("error", r => 1 - r.Accuracy)]
            )
            .VLine(100, "memorised")
            .VLine(null, "never reached")
            .HLine(0.5, "chance", Dash.Dash)
            .Style("error", dash: Dash.Dot)
            .Size(500, 300);
        Assert.Equal(["accuracy", "error", "memorised", "chance"], figure.Series.Select(s => s.Name));
        var (data, layout, html) = Drawn(figure);
        Assert.Equal("dot", data[1].GetProperty("line").GetProperty("dash").GetString());
        Assert.Equal([100.0, 100.0], Numbers(data[2].GetProperty("x")));
        Assert.Equal([0.0, 1.0], Numbers(data[2].GetProperty("y"))); // spans the data's y range
        Assert.Equal([10.0, 1000.0], Numbers(data[3].GetProperty("x"))); // spans the data's x range
        Assert.Equal([0.5, 0.5], Numbers(data[3].GetProperty("y")));
        Assert.Equal("dash", data[3].GetProperty("line").GetProperty("dash").GetString());
        Assert.Contains("width: 500px; height: 300px;", html);
        Assert.Equal(300, layout.GetProperty("height").GetDouble());
        Assert.Throws<ArgumentException>(() => figure.Style("eror", dash: Dash.Dot));
    }

    [Fact]
    public void Intervals_become_bands_on_lines_and_error_bars_on_points_and_bars()
    {
        Interval Ci(Point r) => new(r.Accuracy, r.Accuracy - 0.05, r.Accuracy + 0.1);
        var band = Drawn(Plot.Lines(Rows, r => r.Step, r => r.Accuracy, series: r => r.Kind, ci: Ci)).Data;
        Assert.Equal(6, band.Length); // upper edge, filled lower edge, line
        Assert.Equal([0.3, 1.0, 1.1], Numbers(band[0].GetProperty("y")), new ToleranceComparer());
        Assert.Equal("tonexty", band[1].GetProperty("fill").GetString());
        Assert.Equal("rgba(31,119,180,0.2)", band[1].GetProperty("fillcolor").GetString());
        Assert.False(band[1].GetProperty("showlegend").GetBoolean());

        var points = Drawn(Plot.Scatter(Rows, r => r.Step, r => r.Accuracy, text: r => r.Kind, ci: Ci)).Data;
        var errors = points[0].GetProperty("error_y");
        Assert.Equal(Enumerable.Repeat(0.1, 6), Numbers(errors.GetProperty("array")), new ToleranceComparer());
        Assert.Equal(Enumerable.Repeat(0.05, 6), Numbers(errors.GetProperty("arrayminus")), new ToleranceComparer());
        Assert.Equal("train", points[0].GetProperty("text")[0].GetString());
        Assert.False(points[0].GetProperty("showlegend").GetBoolean()); // one unnamed series: no legend entry

        var (bars, layout, _) = Drawn(
            Plot.Bars(Rows, r => r.Kind, r => r.Accuracy, series: r => r.Step, ci: Ci).YRange(0.4, 1)
        );
        Assert.Equal(["10", "100", "1000"], bars.Select(b => b.GetProperty("name").GetString()));
        Assert.Equal("bar", bars[0].GetProperty("type").GetString());
        Assert.Equal(["train", "test"], bars[0].GetProperty("x").EnumerateArray().Select(v => v.GetString()));
        Assert.True(bars[0].TryGetProperty("error_y", out _));
        Assert.Equal("group", layout.GetProperty("barmode").GetString());
        Assert.Equal([0.4, 1.0], Numbers(layout.GetProperty("yaxis").GetProperty("range")));
    }

    [Fact]
    public void Boxes_histograms_heatmaps_and_log_ranges()
    {
        var (box, boxLayout, _) = Drawn(Plot.Box(Rows, r => r.Accuracy, group: r => r.Kind));
        Assert.Equal(230, boxLayout.GetProperty("margin").GetProperty("r").GetDouble());
        Assert.Equal(["box", "box"], box.Select(b => b.GetProperty("type").GetString()));
        Assert.Equal("all", box[0].GetProperty("boxpoints").GetString());
        Assert.All(box, b => Assert.False(b.GetProperty("showlegend").GetBoolean())); // named on the x axis
        var oneColour = Drawn(Plot.Box(Rows, r => r.Accuracy, group: r => r.Kind, color: "#1f77b4")).Data;
        Assert.All(oneColour, b => Assert.Equal("#1f77b4", b.GetProperty("marker").GetProperty("color").GetString()));

        var (hist, histLayout, _) = Drawn(
            Plot.Histogram(Rows, r => r.Accuracy, series: r => r.Kind, start: 0, end: 1, binSize: 0.25)
        );
        Assert.Equal("overlay", histLayout.GetProperty("barmode").GetString());
        Assert.Equal(0.25, hist[0].GetProperty("xbins").GetProperty("size").GetDouble());
        Assert.Equal([0.2, 0.9, 1.0], Numbers(hist[0].GetProperty("x")));

        var z = new[] { new[] { 0.1, 0.9 }, new[] { 0.5, 0.2 } };
        var (heat, heatLayout, _) = Drawn(
            Plot.Heatmap(z, x: new[] { "PC1", "PC2" }, y: new[] { "restart 0 (best)", "restart 1" }, zMin: 0, zMax: 1)
        );
        Assert.Equal("heatmap", heat[0].GetProperty("type").GetString());
        Assert.Equal(0.9, heat[0].GetProperty("z")[0][1].GetDouble());
        Assert.True(heatLayout.GetProperty("margin").GetProperty("l").GetDouble() > 100); // room for the labels
        Assert.Throws<ArgumentException>(() => Plot.Heatmap(z, x: new[] { "PC1" }));

        var contour = Drawn(Plot.Contour(z, [-1.0, 1.0], [-2.0, 2.0]).Markers("restarts", new[] { 0.5 }, [0.5])).Data;
        Assert.Equal(["contour", "scatter"], contour.Select(t => t.GetProperty("type").GetString()));

        var logRange = Drawn(Plot.Chart("t").Line("a", [1, 10], [1.0, 2.0]).LogX().XRange(1, 1000)).Layout;
        Assert.Equal([0.0, 3.0], Numbers(logRange.GetProperty("xaxis").GetProperty("range")));
    }

    [Fact]
    public void Arrays_of_any_number_type_and_marker_styles()
    {
        float[] fromTensor = [0.25f, 0.5f];
        var figure = Plot.Scatter(
                Rows,
                x: r => r.Step,
                ys: [("accuracy", r => r.Accuracy), ("error", r => 1 - r.Accuracy)],
                size: 9
            )
            .Line("floats", new[] { 1, 2 }, fromTensor)
            .Style("error", symbol: "diamond", opacity: 0.5);
        Assert.Equal([0.25, 0.5], figure.Series[2].Y);
        var data = Drawn(figure).Data;
        Assert.Equal("markers", data[1].GetProperty("mode").GetString());
        Assert.Equal("diamond", data[1].GetProperty("marker").GetProperty("symbol").GetString());
        Assert.Equal(9, data[0].GetProperty("marker").GetProperty("size").GetDouble());
        Assert.Throws<ArgumentException>(() => Plot.Chart().Line("words", [1, 2], ["a", "b"]));
    }

    [Fact]
    public void A_figure_fills_its_column_and_a_set_width_is_only_its_widest()
    {
        var (_, layout, html) = Drawn(Plot.Lines(Rows, r => r.Step, r => r.Accuracy));
        Assert.True(layout.GetProperty("autosize").GetBoolean());
        Assert.False(layout.TryGetProperty("width", out _));
        var responsive = ChartHtml.Responsive(html);
        Assert.Matches(@"<div id=""[^""]+"" style=""width: 100%; height: 420px;""></div>", responsive);
        Assert.Contains("data, layout, {\"responsive\":true})", responsive);

        var sized = ChartHtml.Responsive(Drawn(Plot.Lines(Rows, r => r.Step, r => r.Accuracy).Size(500, 300)).Html);
        Assert.Contains("style=\"width: 100%; max-width: 500px; height: 300px;\"", sized);
        var layoutJson = Regex.Match(sized, @"var layout = (?<l>\{.*?\});", RegexOptions.Singleline).Groups["l"].Value;
        var sizedLayout = JsonDocument.Parse(layoutJson).RootElement;
        Assert.False(sizedLayout.TryGetProperty("width", out _)); // the div decides, up to 500 px
        Assert.Equal(300, sizedLayout.GetProperty("height").GetDouble());
        Assert.Equal(sized, ChartHtml.Responsive(sized)); // idempotent
        Assert.Equal("<p>no chart</p>", ChartHtml.Responsive("<p>no chart</p>"));
    }

    [Fact]
    public void A_caption_and_the_headline_mark_travel_with_the_displayed_figure()
    {
        var figure = Plot.Lines(Rows, r => r.Step, r => r.Accuracy, title: "grokking")
            .Caption("Test accuracy jumps <late>.")
            .Headline();
        Assert.Equal("Test accuracy jumps <late>.", figure.CaptionText);
        var html = ScienceOfDL.Notebooks.ChartDisplay.FigureHtml(figure);
        Assert.StartsWith("<div class=\"sodl-figure\" data-sodl-headline><div id=", html);
        Assert.Contains(
            "<p class=\"sodl-caption\" style=\"font-style:italic\">Test accuracy jumps &lt;late&gt;.</p>",
            html
        );
        Assert.Contains("{\"responsive\":true}", html);
        var plain = ScienceOfDL.Notebooks.ChartDisplay.FigureHtml(figure.Headline(false) with { CaptionText = null });
        Assert.StartsWith("<div class=\"sodl-figure\"><div id=", plain);
        Assert.DoesNotContain("sodl-caption", plain);
    }

    [Fact]
    public void Highlight_keeps_the_chosen_series_in_colour_and_draws_the_rest_thin_grey_and_unlisted()
    {
        var runs = Enumerable
            .Range(0, 12)
            .SelectMany(seed =>
                Rows.Where(r => r.Kind == "test")
                    .Select(r => new Point(r.Step, r.Accuracy + seed / 100.0, $"seed {seed}"))
            )
            .ToArray();
        var busy = Plot.Lines(runs, r => r.Step, r => r.Accuracy, series: r => r.Kind).HLine(0.5, "chance");
        Assert.Equal(13, busy.LegendEntries);
        var figure = busy.Highlight(s => s.Name is "seed 3" or "seed 7", others: "other seeds");
        Assert.Equal(4, figure.LegendEntries); // 2 seeds, "other seeds", chance
        // The grey ones first (drawn behind), then the chosen ones and the reference line, in their order.
        Assert.Equal(["other seeds", "seed 1"], figure.Series.Take(2).Select(s => s.Name));
        Assert.Equal(["seed 3", "seed 7", "chance"], figure.Series.Skip(10).Select(s => s.Name));
        var data = Drawn(figure).Data;
        Assert.Equal(Figure.Muted, data[1].GetProperty("line").GetProperty("color").GetString());
        Assert.Equal(1, data[1].GetProperty("line").GetProperty("width").GetDouble());
        Assert.False(data[1].GetProperty("showlegend").GetBoolean());
        Assert.False(data[0].TryGetProperty("showlegend", out _)); // the group's one entry
        Assert.Equal(
            [Figure.Palette[0], Figure.Palette[1]],
            data.Skip(10).Take(2).Select(t => t.GetProperty("line").GetProperty("color").GetString())
        );
        Assert.Equal(
            12,
            busy.Highlight(s => s.Name is "seed 3" or "seed 7").Series.Count(s => s.ShowLegend == false) + 2
        ); // without a group entry
    }

    sealed class ToleranceComparer : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) < 1e-9;

        public int GetHashCode(double x) => 0;
    }
}
