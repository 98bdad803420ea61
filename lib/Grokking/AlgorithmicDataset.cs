using static TorchSharp.torch;

namespace ScienceOfDL.Grokking;

/// <summary>The binary operations of Power et al. (2022), all taken mod p. Each input number is its own token, so the
/// network sees no numeric structure.</summary>
public enum Operation
{
    Add,            // a + b
    Subtract,       // a - b
    Multiply,       // a * b
    Divide,         // a / b = a * b^-1, b != 0 (needs p prime)
    OddDivideElseSubtract, // a / b if b is odd, else a - b (needs p prime)
    SquareSum,      // a² + b²
    SquareSumCross, // a² + ab + b²
    SquareSumCrossPlusA, // a² + ab + b² + a
    CubePlusCross,  // a³ + ab
    CubePlusCrossSquarePlusB, // a³ + ab² + b
}

/// <summary>
/// The full table of one operation: every defined pair (a, b) with its answer c = a ∘ b mod p. A network sees the
/// sequence [a, b, "="] (token p stands for "=") and must predict c at the "=" position.
/// </summary>
public sealed record OperationTable(int P, Operation Operation, int[] A, int[] B, int[] C, bool RandomLabels = false)
{
    public int Count => A.Length;
    /// <summary>Token id of "=": one past the numbers 0..p-1, so the vocabulary has p + 1 tokens.</summary>
    public int EqualsToken => P;
    public int VocabSize => P + 1;

    public static OperationTable Create(int p, Operation op = Operation.Add)
    {
        if (p < 2) throw new ArgumentOutOfRangeException(nameof(p), p, "p must be at least 2.");
        var needsPrime = op is Operation.Divide or Operation.OddDivideElseSubtract;
        if (needsPrime && !IsPrime(p))
            throw new ArgumentException($"{op} mod {p} is not well defined: division needs a prime modulus (p = {p} "
                + $"is not prime).", nameof(p));
        var a = new List<int>(); var b = new List<int>(); var c = new List<int>();
        for (var x = 0; x < p; x++)
            for (var y = 0; y < p; y++)
            {
                if (op == Operation.Divide && y == 0) continue;
                if (op == Operation.OddDivideElseSubtract && y == 0) continue;
                a.Add(x); b.Add(y); c.Add(Apply(op, x, y, p));
            }
        return new OperationTable(p, op, a.ToArray(), b.ToArray(), c.ToArray());
    }

    public static int Apply(Operation op, int a, int b, int p)
    {
        long x = a, y = b, m = p;
        long r = op switch
        {
            Operation.Add => x + y,
            Operation.Subtract => x - y,
            Operation.Multiply => x * y,
            Operation.Divide => x * Inverse(y, p),
            Operation.OddDivideElseSubtract => y % 2 == 1 ? x * Inverse(y, p) : x - y,
            Operation.SquareSum => x * x + y * y,
            Operation.SquareSumCross => x * x + x * y + y * y,
            Operation.SquareSumCrossPlusA => x * x + x * y + y * y + x,
            Operation.CubePlusCross => x * x % m * x + x * y,
            Operation.CubePlusCrossSquarePlusB => x * x % m * x + x * (y * y % m) + y,
            _ => throw new ArgumentOutOfRangeException(nameof(op)),
        };
        return (int)(((r % m) + m) % m);
    }

    /// <summary>The same inputs with every answer replaced by a uniformly random residue: nothing to generalise, so a
    /// network that fits these can only memorise (Varma et al. §5.1, after Zhang et al.).</summary>
    public OperationTable WithRandomLabels(int seed)
    {
        var rng = new Random(seed);
        return this with { C = C.Select(_ => rng.Next(P)).ToArray(), RandomLabels = true };
    }

    /// <summary>Input tokens [a, b, "="] of the given rows, as an int64 tensor (rows × 3).</summary>
    public Tensor Tokens(int[] rows, Device? device = null)
    {
        var data = new long[rows.Length * 3];
        for (var i = 0; i < rows.Length; i++) { data[3 * i] = A[rows[i]]; data[3 * i + 1] = B[rows[i]]; data[3 * i
            + 2] = EqualsToken; }
        return tensor(data, new long[] { rows.Length, 3 }, device: device);
    }

    public Tensor Labels(int[] rows, Device? device = null) =>
        tensor(rows.Select(r => (long)C[r]).ToArray(), device: device);

    static long Inverse(long y, int p) => ModPow(y, p - 2, p); // Fermat: y^(p-2) = y^-1 mod prime p

    static long ModPow(long b, long e, long m)
    {
        long r = 1; b %= m;
        for (; e > 0; e >>= 1, b = b * b % m) if ((e & 1) == 1) r = r * b % m;
        return r;
    }

    public static bool IsPrime(int n)
    {
        if (n < 2) return false;
        for (var d = 2; (long)d * d <= n; d++) if (n % d == 0) return false;
        return true;
    }
}

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
            throw new ArgumentOutOfRangeException(nameof(trainSize), trainSize,
                $"Training size must be in 1..{table.Count}.");
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
        if (size < 1 || size > Train.Length) throw new ArgumentOutOfRangeException(nameof(size), size,
            $"Nested size must be in 1..{Train.Length}.");
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
        void Add(int v) { unchecked { h = (h ^ (uint)v) * 16777619u; } }
        foreach (var r in Train) { Add(r); Add(Table.C[r]); }
        Add(-1);
        foreach (var r in Test) { Add(r); Add(Table.C[r]); }
        return h;
    }
}
