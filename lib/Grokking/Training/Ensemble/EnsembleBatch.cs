using static TorchSharp.torch;

namespace ScienceOfDL.Grokking;

/// <summary>
/// The training sets of R runs as one padded batch: run r's examples first, then padding up to the largest training
/// set. Padding rows weigh 0 in the loss and the real rows 1/D_r, so the summed loss is the sum of each run's mean
/// cross-entropy and each run gets exactly its own full-batch gradient. Padding costs compute, so runs of similar size
/// batch best.
/// </summary>
public sealed class EnsembleBatch : IDisposable
{
    /// <summary>(R, N, 2) int64: the operands a and b of each example (the third token is always "=").</summary>
    public Tensor Operands { get; }

    /// <summary>(R, N) int64; 0 on padding rows.</summary>
    public Tensor Labels { get; }

    /// <summary>(R, N) float64: 1/D_r on run r's examples, 0 on padding.</summary>
    public Tensor Weights { get; }

    public EnsembleBatch(IReadOnlyList<Split> data, Device? device = null)
    {
        var (runs, n) = (data.Count, data.Max(s => s.TrainSize));
        var operands = new long[runs * n * 2]; // padding rows stay (0, 0): a valid input that weighs nothing
        var labels = new long[runs * n];
        var weights = new double[runs * n];
        for (var r = 0; r < runs; r++)
        {
            var (table, train) = (data[r].Table, data[r].Train);
            for (var i = 0; i < train.Length; i++)
            {
                var row = (long)r * n + i;
                operands[2 * row] = table.A[train[i]];
                operands[2 * row + 1] = table.B[train[i]];
                labels[row] = table.C[train[i]];
                weights[row] = 1.0 / train.Length;
            }
        }
        Operands = tensor(operands, [runs, n, 2], device: device);
        Labels = tensor(labels, [runs, n], device: device);
        Weights = tensor(weights, [runs, n], device: device);
    }

    /// <summary>Sum over runs of each run's mean cross-entropy (<see cref="CrossEntropy"/>, in
    /// <paramref name="precision"/>), for logits (R, N, outputs).</summary>
    public Tensor Loss(Tensor logits, ScalarType precision = ScalarType.Float64)
    {
        var perExample = CrossEntropy.PerExample(logits.reshape(-1, logits.shape[2]), Labels.reshape(-1), precision);
        return (perExample * Weights.reshape(-1).to(precision)).sum();
    }

    public void Dispose()
    {
        Operands.Dispose();
        Labels.Dispose();
        Weights.Dispose();
    }
}
