using static TorchSharp.torch;

namespace ScienceOfDL.Grokking;

/// <summary>
/// The textbook forward pass of <see cref="Transformer"/>'s network, written for reading rather than speed: embed
/// all three tokens, causal multi-head attention over all positions, the ReLU MLP, unembed, and read the answer at
/// the last ("=") position. <see cref="Transformer.Forward"/> computes the same logits with lookup tables; the tests
/// and notebook 04 check that the two agree.
/// </summary>
public static class PlainTransformer
{
    /// <summary>Logits (N, outputs) at the last position for tokens (N, context) int64, from
    /// <paramref name="model"/>'s weights.</summary>
    public static Tensor Forward(Transformer model, Tensor tokens)
    {
        var (n, T, d, H, dh) = (
            tokens.shape[0],
            model.Config.Context,
            model.Config.DModel,
            model.Config.Heads,
            model.Config.DHead
        );
        using var scope = NewDisposeScope();

        // Embedding: each token's vector plus its position's vector.
        var x = model.W_E.index_select(0, tokens.reshape(-1)).view(n, T, d) + model.W_pos; // (N, T, d)

        // Attention: every position looks at itself and the positions before it, one softmax per head.
        Tensor Heads(Tensor t) => t.view(n, T, H, dh).transpose(1, 2); // (N, H, T, dh)
        var (q, k, v) = (Heads(x.matmul(model.W_Q)), Heads(x.matmul(model.W_K)), Heads(x.matmul(model.W_V)));
        var scores = q.matmul(k.transpose(-1, -2)) / Math.Sqrt(dh); // (N, H, T, T)
        var future = ones(T, T, device: tokens.device).triu(1).to(ScalarType.Bool);
        var pattern = scores.masked_fill(future, double.NegativeInfinity).softmax(-1);
        var z = pattern.matmul(v).transpose(1, 2).reshape(n, T, H * dh); // heads side by side
        var resid = x + z.matmul(model.W_O);

        // MLP: one hidden layer of ReLU neurons, added to the residual stream.
        resid = resid + nn.functional.relu(resid.matmul(model.W_in) + model.b_in).matmul(model.W_out) + model.b_out;

        // Unembedding, read at "=".
        return resid.matmul(model.W_U)[.., T - 1].MoveToOuterDisposeScope(); // (N, outputs)
    }
}
