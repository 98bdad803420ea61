using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ScienceOfDL.LanguageModels;

/// <summary>The shape of a GPT-2 decoder, as in a Hugging Face config.json (n_embd, n_layer, n_head,
/// n_positions...).</summary>
public sealed record Gpt2Config(
    int VocabSize,
    int HiddenSize,
    int NumLayers,
    int NumHeads,
    int MaxPositions,
    double LayerNormEps = 1e-5,
    string Activation = "gelu_new",
    int? InnerSize = null
)
{
    /// <summary>The MLP's width: n_inner, or 4 × n_embd when config.json leaves it null.</summary>
    public int Inner => InnerSize ?? 4 * HiddenSize;
}

/// <summary>
/// A GPT-2 decoder (pre-LayerNorm, causal attention) as plain tensor code over Hugging Face's weight names
/// (<c>h.0.attn.c_attn.weight</c>, ...). GPT-2's projections are Conv1D weights stored [in, out], used as they are.
/// Inference only.
/// </summary>
public sealed class Gpt2Decoder : IDisposable
{
    public Gpt2Config Config { get; }
    public Device Device { get; }
    readonly Dictionary<string, Tensor> w;

    public Gpt2Decoder(Gpt2Config config, IReadOnlyDictionary<string, Tensor> weights, Device? device = null)
    {
        if (config.HiddenSize % config.NumHeads != 0)
            throw new ArgumentException($"n_embd {config.HiddenSize} is not a multiple of {config.NumHeads} heads");
        if (config.Activation is not ("gelu_new" or "gelu" or "relu" or "gelu_pytorch_tanh"))
            throw new NotSupportedException(
                $"GPT-2 activation '{config.Activation}' is not supported (gelu_new, " + $"gelu, relu are)."
            );
        Config = config;
        Device = device ?? CPU;
        w = new Dictionary<string, Tensor>();
        foreach (var (name, shape) in ExpectedWeights(config))
        {
            if (!weights.TryGetValue(name, out var t))
                throw new KeyNotFoundException(
                    $"GPT-2 weight '{name}' (shape [{string.Join(", ",
                    shape)}]) is missing."
                );
            if (!t.shape.SequenceEqual(shape))
                throw new InvalidDataException(
                    $"GPT-2 weight '{name}' has shape [{string.Join(", ",
                    t.shape)}], expected [{string.Join(", ", shape)}]."
                );
            w[name] = t.to(float32).to(Device).contiguous().DetachFromDisposeScope();
        }
    }

    /// <summary>Every weight the forward pass reads, with its shape (projections as Hugging Face's Conv1D: [in,
    /// out]).</summary>
    public static IEnumerable<(string Name, long[] Shape)> ExpectedWeights(Gpt2Config c)
    {
        long h = c.HiddenSize,
            inner = c.Inner;
        yield return ("wte.weight", [c.VocabSize, h]);
        yield return ("wpe.weight", [c.MaxPositions, h]);
        for (var i = 0; i < c.NumLayers; i++)
        {
            var p = $"h.{i}.";
            foreach (
                var (name, outDim, inDim) in new[]
                {
                    ("attn.c_attn", 3 * h, h),
                    ("attn.c_proj", h, h),
                    ("mlp.c_fc", inner, h),
                    ("mlp.c_proj", h, inner),
                }
            )
            {
                yield return (p + name + ".weight", [inDim, outDim]);
                yield return (p + name + ".bias", [outDim]);
            }
            foreach (var ln in new[] { "ln_1", "ln_2" })
            {
                yield return (p + ln + ".weight", [h]);
                yield return (p + ln + ".bias", [h]);
            }
        }
        yield return ("ln_f.weight", [h]);
        yield return ("ln_f.bias", [h]);
    }

    /// <summary>
    /// <paramref name="inputIds"/>: int64 [batch, tokens], padded on the right (the mask is not needed: causal
    /// attention already keeps every real token from seeing the padding after it). Returns NumLayers + 1 tensors
    /// [batch, tokens, hidden]: the embeddings, then each block's output; as in Hugging Face, the last one has the
    /// final LayerNorm (ln_f) applied.
    /// </summary>
    public Tensor[] Forward(Tensor inputIds, Tensor? attentionMask = null)
    {
        var (batch, tokens) = (inputIds.shape[0], inputIds.shape[1]);
        if (tokens > Config.MaxPositions)
            throw new ArgumentException($"{tokens} tokens exceed the model's {Config.MaxPositions} positions");
        long h = Config.HiddenSize,
            heads = Config.NumHeads,
            headDim = h / heads;

        var positions = arange(tokens, dtype: int64, device: Device);
        var x =
            w["wte.weight"].index_select(0, inputIds.reshape(-1)).view(batch, tokens, h)
            + w["wpe.weight"].index_select(0, positions);
        var hidden = new List<Tensor> { x };
        for (var i = 0; i < Config.NumLayers; i++)
        {
            var p = $"h.{i}.";
            var qkv = Linear(LayerNorm(x, p + "ln_1"), p + "attn.c_attn").view(batch, tokens, 3, heads, headDim);
            var (q, k, v) = (
                qkv.select(2, 0).transpose(1, 2),
                qkv.select(2, 1).transpose(1, 2),
                qkv.select(2, 2).transpose(1, 2)
            );
            var attended = F.scaled_dot_product_attention(q, k, v, is_casual: true)
                .transpose(1, 2)
                .reshape(batch, tokens, h);
            x = x + Linear(attended, p + "attn.c_proj");
            x = x + Linear(Activation(Linear(LayerNorm(x, p + "ln_2"), p + "mlp.c_fc")), p + "mlp.c_proj");
            hidden.Add(i == Config.NumLayers - 1 ? LayerNorm(x, "ln_f") : x);
        }
        return hidden.ToArray();
    }

    /// <summary>As <see cref="Forward"/>, but each layer holds only the real tokens: [realTokens, hidden], text after
    /// text.</summary>
    public Tensor[] ForwardRows(Tensor inputIds, Tensor attentionMask)
    {
        var real = attentionMask.reshape(-1).nonzero().squeeze(1);
        return Forward(inputIds, attentionMask).Select(h => h.reshape(-1, h.shape[2]).index_select(0, real)).ToArray();
    }

    Tensor Linear(Tensor x, string name) => NamedWeights.Linear(w, x, name);

    Tensor LayerNorm(Tensor x, string name) =>
        NamedWeights.LayerNorm(w, x, name, Config.HiddenSize, Config.LayerNormEps);

    Tensor Activation(Tensor x) =>
        Config.Activation switch
        {
            "gelu" => F.gelu(x),
            "relu" => F.relu(x),
            _ => F.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh),
        };

    public void Dispose() => NamedWeights.Dispose(w);
}
