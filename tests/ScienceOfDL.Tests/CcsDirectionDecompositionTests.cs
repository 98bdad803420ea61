using ScienceOfDL.Ccs.Baselines;
using ScienceOfDL.Ccs.Data;
using ScienceOfDL.Ccs.Experiments;
using ScienceOfDL.Ccs.Probing;

namespace ScienceOfDL.Tests;

/// <summary>Notebook 03's decomposition table, built by the library.</summary>
public class CcsDirectionDecompositionTests
{
    [Fact]
    public void Decompose_sums_to_the_variance_and_measures_shares_of_pc1()
    {
        var pairs = Normalization.Burns(
            PlantedData
                .Generate(
                    new PlantedOptions
                    {
                        Count = 300,
                        Dim = 16,
                        Seed = 3,
                    }
                )
                .Pairs
        );
        var pca = Pca.Fit(pairs);
        var random = DirectionDecomposition.RandomUnit(pairs.Dim, 7);
        Assert.Equal(1.0, random.norm().item<float>(), 5);
        Assert.Equal(
            random.data<float>().ToArray(),
            DirectionDecomposition.RandomUnit(pairs.Dim, 7).data<float>().ToArray()
        );
        Assert.Equal(1.0, DirectionDecomposition.Unit([3f, 4f]).norm().item<float>(), 5);
        var rows = DirectionDecomposition.Decompose(pairs, pca, [("PC1", pca.Components[0]), ("random", random)]);
        Assert.Equal(["PC1", "random"], rows.Select(r => r.Direction));
        Assert.Equal(1.0, rows[0].ShareOfPc1Variance, 9);
        Assert.True(rows[1].ShareOfPc1Variance < 1);
        Assert.All(rows, r => Assert.True(r.AbsError < 1e-3 * Math.Max(1, r.Variance)));
    }

    [Fact]
    public void Study_slices_of_a_dataset_start_with_the_whole_set()
    {
        var d = Datasets.PolarStatements;
        var pairs = ContrastPairs.ForDataset(d, [d.Templates[0]], 40, 0);
        var slices = StudySlice.Of(d, pairs, 0);
        Assert.Equal(
            StudySlice
                .Standard(pairs, d.Templates, StudySlice.Subsets(d, d.Load(0).Examples))
                .Select(s => s.ToString()),
            slices.Select(s => s.ToString())
        );
        Assert.Equal($"{StudySlice.All} / {StudySlice.All}", slices[0].ToString());
    }
}
