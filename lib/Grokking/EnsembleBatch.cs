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
    /// <summary>(R, N, context) int64.</summary>
    public Tensor Tokens { get; }
    /// <summary>(R, N) int64; 0 on padding rows.</summary>
    public Tensor Labels { get; }
    /// <summary>(R, N) float32: 1/D_r on run r's examples, 0 on padding.</summary>
    public Tensor Weights { get; }

    public EnsembleBatch(IReadOnlyList<Split> data, Device? device = null)
    {
        var (runs, n) = (data.Count, data.Max(s => s.TrainSize));
        const int context = 3;   // [a, b, "="], as OperationTable.Tokens
        var tokens = new long[runs * n * context];
        var labels = new long[runs * n];
        var weights = new float[runs * n];
        for (var r = 0; r < runs; r++)
        {
            var (table, train) = (data[r].Table, data[r].Train);
            for (var i = 0; i < train.Length; i++)
            {
                var row = (long)r * n + i;
                tokens[context * row] = table.A[train[i]];
                tokens[context * row + 1] = table.B[train[i]];
                tokens[context * row + 2] = table.EqualsToken;
                labels[row] = table.C[train[i]];
                weights[row] = 1f / train.Length;
            }
            for (var i = train.Length; i < n; i++) tokens[context * ((long)r * n + i) + 2] = table.EqualsToken;
        }
        Tokens = tensor(tokens, [runs, n, context], device: device);
        Labels = tensor(labels, [runs, n], device: device);
        Weights = tensor(weights, [runs, n], device: device);
    }

    /// <summary>Sum over runs of each run's mean cross-entropy, for logits (R, N, outputs).</summary>
    public Tensor Loss(Tensor logits)
    {
        var perExample = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[2]), Labels.reshape(-1),
            reduction: nn.Reduction.None);
        return (perExample * Weights.reshape(-1)).sum();
    }

    public void Dispose() { Tokens.Dispose(); Labels.Dispose(); Weights.Dispose(); }
}
