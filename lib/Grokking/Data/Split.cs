using static TorchSharp.torch;

namespace ScienceOfDL.Grokking;

/// <summary>
/// A train/test split of a table. The rows are shuffled once by the seed; the training set is the first D rows of that
/// order and the test set the rest. Because the order is fixed, <see cref="Nested"/> subsets of the same seed are
/// nested: the first D′ rows of a training set are a training set of size D′ (what ungrokking needs).
/// </summary>
public sealed record Split(OperationTable Table, int[] Train, int[] Test, int Seed)
{
    public int TrainSize => Train.Length;

    public static Split BySize(OperationTable table, int trainSize, int seed)
    {
        if (trainSize < 1 || trainSize > table.Count)
            throw new ArgumentOutOfRangeException(
                nameof(trainSize),
                trainSize,
                $"Training size must be in 1..{table.Count}."
            );
        var order = Enumerable.Range(0, table.Count).ToArray();
        new Random(seed).Shuffle(order);
        return new Split(table, order[..trainSize], order[trainSize..], seed);
    }

    /// <summary>The first floor(fraction × |table|) rows of the seeded order: p = 113, 30% gives 3830 / 8939 as in
    /// Nanda et al.</summary>
    public static Split ByFraction(OperationTable table, double fraction, int seed) =>
        BySize(table, (int)(fraction * table.Count), seed);

    /// <summary>A smaller training set inside this one (its first <paramref name="size"/> rows). The test set stays the
    /// same, so test accuracy before and after shrinking is measured on the same examples.</summary>
    public Split Nested(int size)
    {
        if (size < 1 || size > Train.Length)
            throw new ArgumentOutOfRangeException(nameof(size), size, $"Nested size must be in 1..{Train.Length}.");
        return this with { Train = Train[..size] };
    }

    /// <summary>Identifies the data for checkpoints, so a run never resumes on other data.</summary>
    public string Describe() =>
        $"{Table.Operation} mod {Table.P}{(Table.RandomLabels ? " random-labels"
            : "")}, train {TrainSize}, test {Test.Length}, seed {Seed}, hash {Hash()}";

    // FNV-1a over rows and labels (string.GetHashCode/HashCode are randomised per process, so unusable in files).
    uint Hash()
    {
        var h = 2166136261u;
        void Add(int v)
        {
            unchecked
            {
                h = (h ^ (uint)v) * 16777619u;
            }
        }
        foreach (var r in Train)
        {
            Add(r);
            Add(Table.C[r]);
        }
        Add(-1);
        foreach (var r in Test)
        {
            Add(r);
            Add(Table.C[r]);
        }
        return h;
    }
}
