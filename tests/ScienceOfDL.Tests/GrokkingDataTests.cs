using ScienceOfDL.Grokking;
using static TorchSharp.torch;

namespace ScienceOfDL.Tests;

public class GrokkingDataTests
{
    [Fact]
    public void Tables_hold_every_pair_with_the_right_answer()
    {
        var add = OperationTable.Create(113);
        Assert.Equal(113 * 113, add.Count);
        Assert.Equal(113, add.EqualsToken);
        for (var i = 0; i < add.Count; i += 97)
            Assert.Equal((add.A[i] + add.B[i]) % 113, add.C[i]);

        var div = OperationTable.Create(7, Operation.Divide);
        Assert.Equal(7 * 6, div.Count); // b = 0 is excluded
        for (var i = 0; i < div.Count; i++)
            Assert.Equal(div.A[i], div.C[i] * div.B[i] % 7);

        Assert.Equal((5 - 9 + 11) % 11, OperationTable.Apply(Operation.Subtract, 5, 9, 11));
        Assert.Equal(
            (3 * 3 * 3 + 3 * 4 * 4 + 4) % 97,
            OperationTable.Apply(Operation.CubePlusCrossSquarePlusB, 3, 4, 97)
        );
        Assert.Equal((2 * 2 + 2 * 5 + 5 * 5 + 2) % 13, OperationTable.Apply(Operation.SquareSumCrossPlusA, 2, 5, 13));
    }

    [Theory]
    [InlineData(Operation.Divide)]
    [InlineData(Operation.OddDivideElseSubtract)]
    public void Division_needs_a_prime_modulus(Operation op)
    {
        var e = Assert.Throws<ArgumentException>(() => OperationTable.Create(12, op));
        Assert.Contains("prime", e.Message);
        OperationTable.Create(12, Operation.Add); // fine without division
        Assert.Throws<ArgumentOutOfRangeException>(() => OperationTable.Create(1));
    }

    [Fact]
    public void Splits_have_the_papers_sizes_are_seeded_and_disjoint()
    {
        var table = OperationTable.Create(113);
        var split = Split.ByFraction(table, 0.3, seed: 0);
        Assert.Equal(3830, split.TrainSize);
        Assert.Equal(8939, split.Test.Length);
        Assert.Equal(table.Count, split.Train.Concat(split.Test).Distinct().Count());

        Assert.Equal(split.Train, Split.ByFraction(table, 0.3, seed: 0).Train);
        Assert.NotEqual(split.Train, Split.ByFraction(table, 0.3, seed: 1).Train);
        Assert.Equal(1000, Split.BySize(table, 1000, seed: 0).TrainSize);
        Assert.Throws<ArgumentOutOfRangeException>(() => Split.BySize(table, table.Count + 1, seed: 0));
    }

    [Fact]
    public void Smaller_training_sets_of_one_seed_are_nested()
    {
        var table = OperationTable.Create(31);
        var big = Split.BySize(table, 500, seed: 3);
        var mid = Split.BySize(table, 300, seed: 3);
        var small = big.Nested(100);
        Assert.Subset(big.Train.ToHashSet(), mid.Train.ToHashSet());
        Assert.Subset(mid.Train.ToHashSet(), small.Train.ToHashSet());
        Assert.Equal(big.Test, small.Test); // shrinking keeps the test set
        Assert.Empty(small.Train.Intersect(small.Test));
    }

    [Fact]
    public void Random_labels_are_seeded_and_mostly_wrong()
    {
        var table = OperationTable.Create(31);
        var random = table.WithRandomLabels(seed: 5);
        Assert.True(random.RandomLabels);
        Assert.Equal(random.C, table.WithRandomLabels(seed: 5).C);
        Assert.Equal(table.A, random.A);
        var agree = table.C.Zip(random.C).Count(x => x.First == x.Second) / (double)table.Count;
        Assert.InRange(agree, 0.0, 0.1); // chance is 1/31
        Assert.All(random.C, c => Assert.InRange(c, 0, 30));
    }

    [Fact]
    public void Tokens_are_a_b_equals_as_int64()
    {
        var table = OperationTable.Create(7);
        using var tokens = table.Tokens([0, 10]);
        Assert.Equal(ScalarType.Int64, tokens.dtype);
        Assert.Equal(new long[] { 2, 3 }, tokens.shape);
        Assert.Equal(new long[] { table.A[10], table.B[10], 7 }, tokens[1].data<long>().ToArray());
    }
}
