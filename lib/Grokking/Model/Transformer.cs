using static TorchSharp.torch;

namespace ScienceOfDL.Grokking;

/// <summary>Sizes of the one-layer transformer of Nanda et al. (2023), which Varma et al. (2023) reuse.</summary>
/// <param name="Vocab">Input tokens: the p numbers and "=".</param>
/// <param name="Outputs">Classes read out at "=": the p possible answers (Nanda's code also scores "=", which can never
/// be right).</param>
public sealed record TransformerConfig(
    int Vocab,
    int Outputs,
    int DModel = 128,
    int Heads = 4,
    int DHead = 32,
    int DMlp = 512,
    int Context = 3
)
{
    public static TransformerConfig For(OperationTable table) => new(table.VocabSize, table.P);
}

/// <summary>
/// Intermediate tensors of a forward pass, by name, for analysis code. Pass one to <see cref="Transformer.Forward"/>;
/// it keeps detached copies and frees them when disposed. Names (shapes for N examples):
/// <c>embed</c> (N, 3, d_model) token + position embeddings; <c>attn.pattern</c> (N, heads, 3) attention of the "="
/// position over [a, b, "="]; <c>attn.out</c> (N, d_model); <c>resid.mid</c> (N, d_model) residual stream at "=" after
/// attention; <c>mlp.pre</c>, <c>mlp.post</c> (N, d_mlp) neuron inputs and ReLU outputs; <c>resid.final</c> (N,
/// d_model);
/// <c>logits</c> (N, p).
/// </summary>
public sealed class Activations : IDisposable
{
    readonly Dictionary<string, Tensor> _values = new();
    public Tensor this[string name] =>
        _values.TryGetValue(name, out var t)
            ? t
            : throw new KeyNotFoundException($"No activation '{name}'. Captured: {string.Join(", ", _values.Keys)}");
    public IEnumerable<string> Names => _values.Keys;

    internal void Keep(string name, Tensor value)
    {
        if (_values.Remove(name, out var old))
            old.Dispose();
        _values[name] = value.detach().clone().DetachFromDisposeScope();
    }

    public void Dispose()
    {
        foreach (var t in _values.Values)
            t.Dispose();
        _values.Clear();
    }
}

/// <summary>
/// One-layer decoder-only transformer: learned token and position embeddings, one attention layer (4 heads of 32,
/// causal, no biases), one ReLU MLP (512), no LayerNorm, untied unembedding; the answer is read at the last ("=")
/// position. Initialisation as in Nanda et al.'s code: weights ~ N(0, 1/d_model), the unembedding ~ N(0, 1/vocab),
/// biases 0.
/// <para>Two exact shortcuts make a full-batch step cheap. (1) Only the "=" position feeds the loss, and in one layer
/// nothing at the other positions depends on it, so queries, attention output, MLP and unembedding are computed there
/// only; "=" is the last position, so the causal mask hides nothing from it. (2) A position's embedding depends only on
/// (position, token), so queries, keys and values are computed once for each of the 3 × vocab pairs, and attention
/// scores once for each (last token, position, token) triple, and looked up.</para>
/// </summary>
public sealed class Transformer : IDisposable
{
    public TransformerConfig Config { get; }
    public Tensor W_E { get; } // (vocab, d_model)
    public Tensor W_pos { get; } // (context, d_model)
    public Tensor W_Q { get; } // (d_model, heads·d_head), heads side by side
    public Tensor W_K { get; }
    public Tensor W_V { get; }
    public Tensor W_O { get; } // (heads·d_head, d_model)
    public Tensor W_in { get; } // (d_model, d_mlp)
    public Tensor b_in { get; }
    public Tensor W_out { get; } // (d_mlp, d_model)
    public Tensor b_out { get; }
    public Tensor W_U { get; } // (d_model, outputs)

    /// <summary>Every trainable tensor with its name, in a fixed order (checkpoints and norms use it).</summary>
    public IReadOnlyList<(string Name, Tensor Value)> Parameters { get; }

    public Transformer(TransformerConfig config, int seed, Device? device = null)
    {
        Config = config;
        var (d, hd, v) = (config.DModel, config.Heads * config.DHead, config.Vocab);
        using var scope = NewDisposeScope(); // frees the intermediate draws; the parameters are detached from it
        var g = Seeds.Generator(seed);
        Tensor Normal(double std, params long[] shape) =>
            (randn(shape, generator: g) * std).to(device ?? CPU).requires_grad_().DetachFromDisposeScope();
        Tensor Zeros(params long[] shape) =>
            zeros(shape, device: device ?? CPU).requires_grad_().DetachFromDisposeScope();
        var s = 1 / Math.Sqrt(d);
        W_E = Normal(s, v, d);
        W_pos = Normal(s, config.Context, d);
        W_Q = Normal(s, d, hd);
        W_K = Normal(s, d, hd);
        W_V = Normal(s, d, hd);
        W_O = Normal(s, hd, d);
        W_in = Normal(s, d, config.DMlp);
        b_in = Zeros(config.DMlp);
        W_out = Normal(s, config.DMlp, d);
        b_out = Zeros(d);
        W_U = Normal(1 / Math.Sqrt(v), d, config.Outputs);
        Parameters = Named();
    }

    /// <summary>A model over existing tensors, in <see cref="ParameterNames"/> order: e.g. one run's views into an
    /// <see cref="EnsembleTransformer"/>, so analysis code can read that run without a copy. Disposing it disposes only
    /// these handles.</summary>
    internal Transformer(TransformerConfig config, IReadOnlyList<Tensor> weights)
    {
        if (weights.Count != ParameterNames.Length)
            throw new ArgumentException($"Expected {ParameterNames.Length} tensors.");
        Config = config;
        (W_E, W_pos, W_Q, W_K, W_V, W_O) = (weights[0], weights[1], weights[2], weights[3], weights[4], weights[5]);
        (W_in, b_in, W_out, b_out, W_U) = (weights[6], weights[7], weights[8], weights[9], weights[10]);
        Parameters = Named();
    }

    /// <summary>Names of the trainable tensors, in the fixed order of <see cref="Parameters"/>.</summary>
    public static readonly string[] ParameterNames =
    [
        "W_E",
        "W_pos",
        "W_Q",
        "W_K",
        "W_V",
        "W_O",
        "W_in",
        "b_in",
        "W_out",
        "b_out",
        "W_U",
    ];

    IReadOnlyList<(string Name, Tensor Value)> Named() =>
        ParameterNames.Zip([W_E, W_pos, W_Q, W_K, W_V, W_O, W_in, b_in, W_out, b_out, W_U]).ToList();

    /// <summary>Logits (N, outputs) at the last position for tokens (N, context) int64; optionally captures
    /// activations.</summary>
    public Tensor Forward(Tensor tokens, Activations? capture = null)
    {
        var (n, T, V, d, H, dh) = (
            tokens.shape[0],
            Config.Context,
            Config.Vocab,
            Config.DModel,
            Config.Heads,
            Config.DHead
        );
        if (tokens.shape[1] != T)
            throw new ArgumentException($"Expected {T} tokens per example, got {tokens.shape[1]}.");

        // Embedding, query, key and value of every (position, token) pair: small tables, looked up per example below.
        var embedTable = (W_pos.unsqueeze(1) + W_E.unsqueeze(0)).reshape(T * V, d); // (T·V, d)
        // (H, V, dh): queries at "="
        var qTable = embedTable[((T - 1) * V)..].matmul(W_Q).view(V, H, dh).permute(1, 0, 2);
        var kTable = embedTable.matmul(W_K).view(T * V, H, dh).permute(1, 2, 0); // (H, dh, T·V)
        var vTable = embedTable.matmul(W_V); // (T·V, H·dh)
        // (N, T) into the tables
        var rows = tokens + arange(T, dtype: ScalarType.Int64, device: tokens.device) * V;

        // Attention from "=" to every position. A score depends only on (last token, position, token there, head), so
        // all H·V·T·V of them come from one small product and each example looks its N·T·H up; this keeps per-example
        // tensors (and their gradients) out of the query/key path, which dominated the step's time.
        var scoreTable = qTable.bmm(kTable); // (H, V, T·V)
        var scoreIndex =
            rows.unsqueeze(2)
            + tokens[.., T - 1].view(n, 1, 1) * (T * V)
            + arange(H, dtype: ScalarType.Int64, device: tokens.device).view(1, 1, H) * (V * T * V);
        var scores = scoreTable.reshape(-1).index_select(0, scoreIndex.reshape(-1)).view(n, T, H) / Math.Sqrt(dh);
        var pattern = scores.softmax(1); // (N, T, H)
        var v = vTable.index_select(0, rows.reshape(-1)).view(n, T, H, dh);
        var z = (pattern.unsqueeze(-1) * v).sum(1).reshape(n, H * dh);
        var attnOut = z.matmul(W_O);
        var residMid = embedTable.index_select(0, rows[.., T - 1]) + attnOut; // (N, d) at "="

        // bias fused into the product
        var mlpPre = addmm(b_in, residMid, W_in, 1, 1);
        var mlpPost = nn.functional.relu(mlpPre);
        var residFinal = residMid + addmm(b_out, mlpPost, W_out, 1, 1);
        var logits = residFinal.matmul(W_U);

        if (capture is not null)
        {
            capture.Keep("embed", embedTable.index_select(0, rows.reshape(-1)).reshape(n, T, d));
            capture.Keep("attn.pattern", pattern.permute(0, 2, 1));
            capture.Keep("attn.out", attnOut);
            capture.Keep("resid.mid", residMid);
            capture.Keep("mlp.pre", mlpPre);
            capture.Keep("mlp.post", mlpPost);
            capture.Keep("resid.final", residFinal);
            capture.Keep("logits", logits);
        }
        return logits;
    }

    public void Dispose()
    {
        foreach (var (_, t) in Parameters)
            t.Dispose();
    }
}
