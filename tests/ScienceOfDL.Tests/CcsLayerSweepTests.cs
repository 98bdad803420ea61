using ScienceOfDL.Ccs.Data;
using ScienceOfDL.Ccs.Experiments;
using ScienceOfDL.Ccs.Probing;
using static TorchSharp.torch;

namespace ScienceOfDL.Tests;

public class CcsLayerSweepTests
{
    /// <summary>Two "layers": layer 0 pure noise, layer 1 the planted truth direction (same pairs, same
    /// labels).</summary>
    static PairActivations TwoLayers()
    {
        var planted = PlantedData
            .Generate(
                new()
                {
                    Count = 300,
                    Dim = 32,
                    Seed = 5,
                }
            )
            .Pairs;
        using var g = Seeds.Generator(11);
        var noisePos = randn(new long[] { 300, 32 }, generator: g);
        var noiseNeg = randn(new long[] { 300, 32 }, generator: g);
        var pairs = planted.Labels.Select((l, i) => new ContrastPair($"q{i}", $"q{i} yes", $"q{i} no", l, 0)).ToList();
        return new PairActivations(
            pairs,
            stack(new[] { noisePos, planted.Pos }, 1),
            stack(new[] { noiseNeg, planted.Neg }, 1)
        );
    }

    [Fact]
    public void Sweep_finds_the_planted_layer_and_keeps_every_restart()
    {
        var options = new CcsOptions { Restarts = 3, Epochs = 300 };
        var seen = new List<int>();
        var rows = LayerSweep.Run(
            TwoLayers(),
            "planted",
            options,
            splitSeed: 0,
            progress: new SyncProgress<LayerSweepProgress>(p => seen.Add(p.Layer))
        );
        Assert.Equal(new[] { 0, 1 }, seen);
        // CCS and random: one row per restart; the other five methods: one row; at each of the two layers.
        Assert.Equal(2 * (3 + 3 + 5), rows.Count);
        Assert.All(rows.Where(r => r.Method == MethodNames.Ccs), r =>
            Assert.False(double.IsNaN(r.TrainLoss) || double.IsNaN(r.TestLoss))
        );
        Assert.All(rows.Where(r => r.Method != MethodNames.Ccs), r => Assert.True(double.IsNaN(r.TrainLoss)));

        var chosen = LayerSweep.Chosen(rows);
        Assert.Equal(2 * MethodNames.All.Count, chosen.Count);
        double Acc(int layer, string m) => chosen.Single(r => r.Layer == layer && r.Method == m).Accuracy;
        Assert.True(Acc(1, MethodNames.Ccs) >= 0.97, $"planted layer CCS {Acc(1, MethodNames.Ccs)}");
        Assert.True(Acc(0, MethodNames.Ccs) < 0.75, $"noise layer CCS {Acc(0, MethodNames.Ccs)}");
        Assert.True(Acc(1, MethodNames.LrPair) >= 0.97);
        // The random row is the mean over its seeds.
        var random = rows.Where(r => r.Layer == 1 && r.Method == MethodNames.Random).Average(r => r.Accuracy);
        Assert.Equal(random, Acc(1, MethodNames.Random), 12);

        Assert.Equal(1, LayerSweep.LayerOfLowestCcsLoss(rows)["planted"]);
    }

    [Fact]
    public void Rows_survive_a_csv_round_trip()
    {
        var dir = Directory.CreateTempSubdirectory("sodl-sweep-").FullName;
        try
        {
            var rows = LayerSweep.Run(
                TwoLayers(),
                "planted",
                new CcsOptions { Restarts = 2, Epochs = 50 },
                layers: [1]
            );
            Results.CsvFile.Write(Path.Combine(dir, "sweep.csv"), rows);
            Assert.Equal(rows, Results.CsvFile.Read<LayerSweepRow>(Path.Combine(dir, "sweep.csv")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
