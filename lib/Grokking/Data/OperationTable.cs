using static TorchSharp.torch;

namespace ScienceOfDL.Grokking;

/// <summary>The binary operations of Power et al. (2022), all taken mod p. Each input number is its own token, so the
/// network sees no numeric structure.</summary>
public enum Operation
{
    Add, // a + b
    Subtract, // a - b
    Multiply, // a * b
    Divide, // a / b = a * b^-1, b != 0 (needs p prime)
    OddDivideElseSubtract, // a / b if b is odd, else a - b (needs p prime)
    SquareSum, // a² + b²
    SquareSumCross, // a² + ab + b²
    SquareSumCrossPlusA, // a² + ab + b² + a
    CubePlusCross, // a³ + ab
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
        if (p < 2)
            throw new ArgumentOutOfRangeException(nameof(p), p, "p must be at least 2.");
        var needsPrime = op is Operation.Divide or Operation.OddDivideElseSubtract;
        if (needsPrime && !IsPrime(p))
            throw new ArgumentException(
                $"{op} mod {p} is not well defined: division needs a prime modulus (p = {p} " + $"is not prime).",
                nameof(p)
            );
        var a = new List<int>();
        var b = new List<int>();
        var c = new List<int>();
        for (var x = 0; x < p; x++)
        for (var y = 0; y < p; y++)
        {
            if (op == Operation.Divide && y == 0)
                continue;
            if (op == Operation.OddDivideElseSubtract && y == 0)
                continue;
            a.Add(x);
            b.Add(y);
            c.Add(Apply(op, x, y, p));
        }
        return new OperationTable(p, op, a.ToArray(), b.ToArray(), c.ToArray());
    }

    public static int Apply(Operation op, int a, int b, int p)
    {
        long x = a,
            y = b,
            m = p;
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
        for (var i = 0; i < rows.Length; i++)
        {
            data[3 * i] = A[rows[i]];
            data[3 * i + 1] = B[rows[i]];
            data[3 * i + 2] = EqualsToken;
        }
        return tensor(data, new long[] { rows.Length, 3 }, device: device);
    }

    public Tensor Labels(int[] rows, Device? device = null) =>
        tensor(rows.Select(r => (long)C[r]).ToArray(), device: device);

    static long Inverse(long y, int p) => ModPow(y, p - 2, p); // Fermat: y^(p-2) = y^-1 mod prime p

    static long ModPow(long b, long e, long m)
    {
        long r = 1;
        b %= m;
        for (; e > 0; e >>= 1, b = b * b % m)
            if ((e & 1) == 1)
                r = r * b % m;
        return r;
    }

    public static bool IsPrime(int n)
    {
        if (n < 2)
            return false;
        for (var d = 2; (long)d * d <= n; d++)
            if (n % d == 0)
                return false;
        return true;
    }
}
