using static TorchSharp.torch;

namespace ScienceOfDL.Grokking;

/// <summary>
/// R independent copies of <see cref="Transformer"/> computed as one batched model: every parameter carries a leading
/// run dimension, and one forward pass computes every run on its own examples. Runs share nothing but the sizes; run r
/// computes exactly what a <see cref="Transformer"/> with run r's weights computes, up to float rounding.
/// <para>All weights live in one (R, P) buffer, each run's row laid out like <see cref="TrainingState"/>'s moment
/// buffers (the parameters flattened in <see cref="Transformer.Parameters"/> order); the per-parameter tensors are views
/// into it, so the optimiser updates every run and every parameter with a few large operations.</para>
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
    /// <summary>Where each parameter starts in a run's row of <see cref="Weights"/>, and how many numbers it has.</summary>
    internal (long Offset, long Count)[] Layout { get; }

    Tensor W(int i) => Parameters[i].Value;

    /// <summary>An ensemble holding copies of these models' weights, run r = models[r].</summary>
    public EnsembleTransformer(IReadOnlyList<Transformer> models)
    {
        if (models.Count == 0) throw new ArgumentException("An ensemble needs at least one run.", nameof(models));
        Config = models[0].Config;
        if (models.Any(m => m.Config != Config)) throw new ArgumentException("All runs of an ensemble must have the same sizes.");
        Runs = models.Count;
        var shapes = models[0].Parameters.Select(p => p.Value.shape).ToArray();
        Layout = new (long, long)[shapes.Length];
        for (long i = 0, offset = 0; i < shapes.Length; offset += Layout[i].Count, i++)
            Layout[i] = (offset, shapes[i].Aggregate(1L, (a, b) => a * b));
        var device = models[0].W_E.device;
        Weights = zeros(Runs, Layout[^1].Offset + Layout[^1].Count, device: device);
        // Leaf tensors that share Weights' storage: autograd gives each its own gradient, in-place updates of Weights
        // (under no_grad) change them all.
        Parameters = Transformer.ParameterNames.Select((name, i) =>
            (name, Weights.narrow(1, Layout[i].Offset, Layout[i].Count).view([Runs, .. shapes[i]]).detach().requires_grad_()))
            .ToList();
        using var _ = no_grad();
        for (var r = 0; r < Runs; r++) CopyFrom(r, models[r]);
    }

    /// <summary>Overwrites run r's weights with a model's.</summary>
    public void CopyFrom(int run, Transformer model)
    {
        using var _ = no_grad();
        for (var i = 0; i < Layout.Length; i++)
            Weights[run].narrow(0, Layout[i].Offset, Layout[i].Count).copy_(model.Parameters[i].Value.reshape(-1));
    }

    /// <summary>Copies run r's weights into a model of the same sizes.</summary>
    public void CopyTo(int run, Transformer model)
    {
        using var _ = no_grad();
        for (var i = 0; i < Layout.Length; i++) model.Parameters[i].Value.copy_(W(i)[run]);
    }

    /// <summary>Run r as a plain <see cref="Transformer"/> whose tensors are views of this ensemble's (no copy: it follows
    /// training). For analysis and measurement only: do not train through it.</summary>
    public Transformer Member(int run)
    {
        using var _ = no_grad();
        return new Transformer(Config, Parameters.Select(p => p.Value[run]).ToList());
    }

    /// <summary>Logits (R, N, outputs) at the last position for tokens (R, N, context) int64: run r reads its own N
    /// examples. The same exact shortcuts as <see cref="Transformer.Forward"/>, with the run as a batch dimension.</summary>
    public Tensor Forward(Tensor tokens)
    {
        var (R, n, T, V) = (tokens.shape[0], tokens.shape[1], (long)Config.Context, (long)Config.Vocab);
        var (d, H, dh) = ((long)Config.DModel, (long)Config.Heads, (long)Config.DHead);
        if (R != Runs || tokens.shape[2] != T) throw new ArgumentException($"Expected tokens ({Runs}, N, {T}), got ({string.Join(", ", tokens.shape)}).");
        var (W_E, W_pos, W_Q, W_K, W_V, W_O) = (W(0), W(1), W(2), W(3), W(4), W(5));
        var (W_in, b_in, W_out, b_out, W_U) = (W(6), W(7), W(8), W(9), W(10));
        var device = tokens.device;

        // Per run: embedding, query (at "="), key and value of every (position, token) pair.
        var embedTable = (W_pos.unsqueeze(2) + W_E.unsqueeze(1)).reshape(R, T * V, d);              // (R, T·V, d)
        var qTable = embedTable[.., (int)((T - 1) * V)..].bmm(W_Q).view(R, V, H, dh).permute(0, 2, 1, 3); // (R, H, V, dh)
        var kTable = embedTable.bmm(W_K).view(R, T * V, H, dh).permute(0, 2, 3, 1);                  // (R, H, dh, T·V)
        var vTable = embedTable.bmm(W_V).reshape(R * T * V, H * dh);                                  // (R·T·V, H·dh)
        var run = arange(R, dtype: ScalarType.Int64, device: device).view(R, 1, 1);
        var local = tokens + arange(T, dtype: ScalarType.Int64, device: device) * V;                  // row in a run's table
        var rows = local + run * (T * V);                                                              // row in all R·T·V

        // Scores from "=" to each position, looked up in each run's (head, last token, position·token) table.
        var scoreTable = qTable.matmul(kTable);                                                        // (R, H, V, T·V)
        var head = arange(H, dtype: ScalarType.Int64, device: device).view(1, 1, 1, H);
        var scoreIndex = local.unsqueeze(3) + tokens[.., .., T - 1].view(R, n, 1, 1) * (T * V)
                         + head * (V * T * V) + run.unsqueeze(3) * (H * V * T * V);                    // (R, N, T, H)
        var scores = scoreTable.reshape(-1).index_select(0, scoreIndex.reshape(-1)).view(R, n, T, H) / Math.Sqrt(dh);
        var pattern = scores.softmax(2);                                                               // (R, N, T, H)
        var v = vTable.index_select(0, rows.reshape(-1)).view(R, n, T, H, dh);
        var z = (pattern.unsqueeze(-1) * v).sum(2).reshape(R, n, H * dh);
        var residMid = embedTable.reshape(R * T * V, d).index_select(0, rows[.., .., T - 1].reshape(-1)).view(R, n, d)
                       + z.bmm(W_O);                                                                   // (R, N, d) at "="

        // Bias fused into the product. TorchSharp's x.baddbmm(w, bias) is bias + x·w (the receiver is the first factor).
        var mlpPost = nn.functional.relu(residMid.baddbmm(W_in, b_in.unsqueeze(1)));
        var residFinal = residMid + mlpPost.baddbmm(W_out, b_out.unsqueeze(1));
        return residFinal.bmm(W_U);
    }

    public void Dispose()
    {
        foreach (var (_, t) in Parameters) t.Dispose();
        Weights.Dispose();
    }
}
