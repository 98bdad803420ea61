using static TorchSharp.torch;

namespace ScienceOfDL.Grokking;

/// <summary>
/// R independent copies of <see cref="Transformer"/> computed as one batched model: every parameter carries a leading
/// run dimension, and one forward pass computes every run on its own examples. Runs share nothing but the sizes; run
/// r computes what a <see cref="Transformer"/> with run r's weights computes, up to float rounding.
/// <para>All weights live in one (R, P) buffer, each run's row laid out like <see cref="TrainingState"/>'s moment
/// buffers (the parameters flattened in <see cref="Transformer.Parameters"/> order); the per-parameter tensors are
/// views into it, so the optimiser updates every run and every parameter with a few large operations.</para>
/// </summary>
public sealed class EnsembleTransformer : IDisposable
{
    public TransformerConfig Config { get; }
    public int Runs { get; }

    /// <summary>All weights, one row per run (R, P).</summary>
    public Tensor Weights { get; }

    /// <summary>Each trainable tensor with a leading run dimension, e.g. W_in (R, d_model, d_mlp); views into
    /// <see cref="Weights"/>, in <see cref="Transformer.Parameters"/> order.</summary>
    public IReadOnlyList<(string Name, Tensor Value)> Parameters { get; }

    // Where each parameter starts in a run's row of Weights, and how many numbers it has.
    readonly (long Offset, long Count)[] _layout;

    Tensor W(int i) => Parameters[i].Value;

    /// <summary>An ensemble holding copies of these models' weights, run r = models[r].</summary>
    public EnsembleTransformer(IReadOnlyList<Transformer> models)
    {
        if (models.Count == 0)
            throw new ArgumentException("An ensemble needs at least one run.", nameof(models));
        Config = models[0].Config;
        if (models.Any(m => m.Config != Config))
            throw new ArgumentException("All runs of an ensemble must have the same sizes.");
        Runs = models.Count;
        var shapes = models[0].Parameters.Select(p => p.Value.shape).ToArray();
        _layout = new (long, long)[shapes.Length];
        for (long i = 0, offset = 0; i < shapes.Length; offset += _layout[i].Count, i++)
            _layout[i] = (offset, shapes[i].Aggregate(1L, (a, b) => a * b));
        using (NewDisposeScope()) // frees the intermediate views
        {
            Weights = zeros(Runs, _layout[^1].Offset + _layout[^1].Count, device: models[0].W_E.device)
                .DetachFromDisposeScope();
            // Leaf tensors that share Weights' storage: autograd gives each its own gradient, and in-place updates of
            // Weights (under no_grad) change them all.
            Parameters = Transformer
                .ParameterNames.Select(
                    (name, i) =>
                        (
                            name,
                            Weights
                                .narrow(1, _layout[i].Offset, _layout[i].Count)
                                .view([Runs, .. shapes[i]])
                                .detach()
                                .requires_grad_()
                                .DetachFromDisposeScope()
                        )
                )
                .ToList();
        }
        for (var r = 0; r < Runs; r++)
            CopyFrom(r, models[r]);
    }

    /// <summary>Overwrites run r's weights with a model's.</summary>
    public void CopyFrom(int run, Transformer model)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        for (var i = 0; i < _layout.Length; i++)
            Weights[run].narrow(0, _layout[i].Offset, _layout[i].Count).copy_(model.Parameters[i].Value.reshape(-1));
    }

    /// <summary>Copies run r's weights into a model of the same sizes.</summary>
    public void CopyTo(int run, Transformer model)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        for (var i = 0; i < _layout.Length; i++)
            model.Parameters[i].Value.copy_(W(i)[run]);
    }

    /// <summary>Run r as a plain <see cref="Transformer"/> whose tensors are views of this ensemble's (no copy: it
    /// follows training). For analysis and measurement only: do not train through it.</summary>
    public Transformer Member(int run)
    {
        using var _ = no_grad();
        return new Transformer(Config, Parameters.Select(p => p.Value[run]).ToList());
    }

    /// <summary>Token id of "=", the last of the vocabulary (as <see cref="OperationTable.EqualsToken"/>).</summary>
    public int EqualsToken => Config.Vocab - 1;

    /// <summary>Logits (R, N, outputs) at "=" for the inputs [a, b, "="], from operands (R, N, 2) int64: run r reads
    /// its own N examples. The shortcuts of <see cref="Transformer.Forward"/>, and two more that hold because the last
    /// token is always "=": the query is one vector per run, and keys, values and attention scores are needed only for
    /// the (position 0 or 1, token) pairs and for "=" itself.</summary>
    public Tensor Forward(Tensor operands)
    {
        var (R, n, V) = (operands.shape[0], operands.shape[1], (long)Config.Vocab);
        var (d, H, dh) = ((long)Config.DModel, (long)Config.Heads, (long)Config.DHead);
        if (R != Runs || operands.shape[2] != 2)
            throw new ArgumentException($"Expected operands ({Runs}, N, 2), got ({string.Join(", ", operands.shape)})");
        var (W_E, W_pos, W_Q, W_K, W_V, W_O) = (W(0), W(1), W(2), W(3), W(4), W(5));
        var (W_in, b_in, W_out, b_out, W_U) = (W(6), W(7), W(8), W(9), W(10));

        // Per run: embeddings of every token at positions 0 and 1 and of "=" at position 2; query, keys, values.
        var e01 = (W_pos[.., ..2].unsqueeze(2) + W_E.unsqueeze(1)).reshape(R, 2 * V, d); // (R, 2V, d)
        var e2 = W_pos[.., 2] + W_E[.., EqualsToken]; // (R, d)
        var q = e2.unsqueeze(1).bmm(W_Q).view(R, 1, H, dh);
        var k2 = e2.unsqueeze(1).bmm(W_K).view(R, 1, H, dh);
        var v2 = e2.unsqueeze(1).bmm(W_V).view(R, 1, H, dh);
        var scale = 1 / Math.Sqrt(dh);
        var s01 = (e01.bmm(W_K).view(R, 2 * V, H, dh) * q).sum(-1).mul(scale).reshape(R * 2 * V, H); // scores
        var s2 = (k2 * q).sum(-1).mul(scale); // (R, 1, H)
        var v01 = e01.bmm(W_V).reshape(R * 2 * V, H, dh);

        // Per example: look up the scores and values of a (position 0) and b (position 1) in the run's tables.
        var run = arange(R, dtype: ScalarType.Int64, device: operands.device).view(R, 1) * (2 * V);
        var rowA = (operands[.., .., 0] + run).reshape(-1);
        var rowB = (operands[.., .., 1] + run + V).reshape(-1);
        var scores = stack(
            [s01.index_select(0, rowA).view(R, n, H), s01.index_select(0, rowB).view(R, n, H), s2.expand(R, n, H)],
            2
        ); // (R, N, 3, H)
        var pattern = scores.softmax(2).unsqueeze(-1); // (R, N, 3, H, 1)
        var z =
            pattern[.., .., 0] * v01.index_select(0, rowA).view(R, n, H, dh)
            + pattern[.., .., 1] * v01.index_select(0, rowB).view(R, n, H, dh)
            + pattern[.., .., 2] * v2;
        var residMid = z.view(R, n, H * dh).baddbmm(W_O, e2.unsqueeze(1)); // (R, N, d) at "="

        // TorchSharp's x.baddbmm(w, c) is c + x·w (the receiver is the first factor); biases ride in the products.
        var mlpPost = residMid.baddbmm(W_in, b_in.unsqueeze(1)).relu_();
        var residFinal = mlpPost.baddbmm(W_out, residMid + b_out.unsqueeze(1));
        return residFinal.bmm(W_U);
    }

    public void Dispose()
    {
        foreach (var (_, t) in Parameters)
            t.Dispose();
        Weights.Dispose();
    }
}
