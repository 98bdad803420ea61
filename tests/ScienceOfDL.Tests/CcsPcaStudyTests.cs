using ScienceOfDL.Ccs.Baselines;
using ScienceOfDL.Ccs.Data;
using ScienceOfDL.Ccs.Experiments;
using ScienceOfDL.Ccs.Probing;
using ScienceOfDL.Results;
using ScienceOfDL.Statistics;

namespace ScienceOfDL.Tests;

/// <summary>Notebook 03's study, plane views and table rows, as the library builds them for the notebook.</summary>
public class CcsPcaStudyTests
{
    [Fact]
    public void A_job_keys_its_saved_row_as_the_notebooks_anonymous_job_did()
    {
        // The committed summary's rows are tagged with the JSON of the job the notebook used to build inline.
        var job = new CcsPcaJob("topics", "ab12", 4, Centring.PerAnswerWord);
        var before = new
        {
            Dataset = "topics",
            Pairs = "ab12",
            Layer = 4,
            Centring = Centring.PerAnswerWord,
        };
        Assert.Equal(ResultKey.Json(before), ResultKey.Json(job));
    }

    static CcsPcaSummary Row(string dataset, int layer, double ccs, double pca) =>
        new(
            dataset,
            layer,
            Centring.PerHalf,
            100,
            200,
            ccs,
            ccs,
            pca,
            0.5,
            0.9,
            0.9,
            0.5,
            0.5,
            0.1,
            0.1,
            0.1,
            0.1,
            0.6,
            0.5,
            0.6,
            -0.5,
            -0.8,
            0.2
        );

    [Fact]
    public void Burns_means_take_the_ratio_of_the_means_and_keep_the_easy_set_apart()
    {
        CcsPcaSummary[] rows =
        [
            Row("topics", 4, 0.8, 0.6),
            Row("facts", 4, 0.6, 0.6),
            Row("facts", 5, 0.5, 0.7),
            Row("polar-statements", 4, 0.9, 0.9),
        ];
        var table = BurnsMean.Table(rows, "m", "topics", 4);
        Assert.Equal(BurnsMean.Paper, table[0]);
        Assert.Equal(0.692 / 0.712, table[0].TpcShareOfCcs, 12);
        Assert.Equal(0.7, table[1].Ccs, 12); // topics and facts at layer 4
        Assert.Equal(0.6 / 0.7, table[1].TpcShareOfCcs, 12);
        Assert.Equal((0.8 + 0.6 + 0.5) / 3, table[2].Ccs, 12); // every layer, polar statements left out
        Assert.Equal(0.8, table[3].Ccs, 12);
        Assert.Equal(0.9, table[4].Tpc, 12);
    }

    [Fact]
    public void Accuracy_rows_carry_wilson_intervals_on_the_test_pairs_and_agreement_rows_the_excess()
    {
        var s = Row("topics", 4, 0.8, 0.6);
        var acc = MethodAccuracy.Of([s]).Single();
        Assert.Equal(Proportion.Wilson(0.8, 200), acc.Ccs);
        Assert.Equal(Proportion.Wilson(0.6, 200), acc.Tpc);
        Assert.Equal(0.6 / 0.8, acc.TpcShareOfCcs, 12);
        var agreement = CcsPcaAgreement.Of([s]).Single();
        Assert.Equal(0.6 - 0.5, agreement.Excess, 12);
        var farquhar = FarquharCheck.Of(FarquharCell.AppendixD6);
        Assert.Equal(9, farquhar.Count);
        Assert.Equal(0.72 * 0.74 + 0.28 * 0.26, farquhar[0].IndependentRecomputed, 12);
    }

    [Fact]
    public void A_plane_view_holds_every_restart_and_its_pc1_ccs_plane_holds_the_best_restart()
    {
        var planted = PlantedData.Generate(
            new PlantedOptions
            {
                Count = 200,
                Dim = 16,
                Seed = 2,
            }
        );
        var (train, test) = Ccs.Analysis.Metrics.TrainTestSplit(planted.Pairs.Count, 0);
        var options = CcsOptions.BurnsPaper with { Restarts = 3, Epochs = 200 };
        var cmp = MethodComparison.Run(planted.Pairs.Select(train), planted.Pairs.Select(test), options);
        var pca = Pca.Fit(cmp.Train, components: 3);
        var view = PlaneView.OfPrincipal(cmp, pca, 5);
        Assert.Equal(3, view.Points.Length);
        var radius = 1.25 * view.Points.Max(p => Math.Max(Math.Abs(p.A), Math.Abs(p.B)));
        Assert.Equal(radius, view.Land.A[^1], 4);
        Assert.StartsWith("grid minimum ", view.Describe());
        var both = PlaneView.OfPc1AndBestCcs(cmp, pca, 5);
        var best = both.Points.Single(p => p.IsBest);
        Assert.True(best.ShareInPlane > 0.999, $"best restart's share in its own plane: {best.ShareInPlane}");
        Assert.Equal(3, RestartVariance.Of(cmp, pca).Count);
    }
}
