using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ScienceOfDL.LanguageModels;

/// <summary>The shape of a BERT encoder, as in a Hugging Face config.json.</summary>
public sealed record BertConfig(int VocabSize, int HiddenSize, int NumLayers, int NumHeads, int IntermediateSize,
    int MaxPositions, int TypeVocabSize = 2, double LayerNormEps = 1e-12, string HiddenAct = "gelu")
{
    /// <summary>all-MiniLM-L6-v2: 6 layers, 384 wide, 12 heads of 32, erf-GELU.</summary>
    public static BertConfig MiniLmL6 => new(30522, 384, 6, 12, 1536, 512);
}

/// <summary>
/// A BERT encoder (post-LayerNorm transformer) written as plain tensor code over a dictionary of weights with Hugging Face's
/// names (<c>encoder.layer.3.attention.self.query.weight</c>, ...; linear weights stored [out, in]). Inference only.
/// <see cref="Forward"/> returns every layer's hidden states, as Hugging Face's <c>output_hidden_states=True</c> does.
/// </summary>
public sealed class BertEncoder : IDisposable
{
    public BertConfig Config { get; }
    public Device Device { get; }
    readonly Dictionary<string, Tensor> w;

    /// <summary>Checks every expected weight is present with the right shape (the error names the first that is not),
    /// then copies them to <paramref name="device"/> as float32.</summary>
    public BertEncoder(BertConfig config, IReadOnlyDictionary<string, Tensor> weights, Device? device = null)
    {
        if (config.HiddenSize % config.NumHeads != 0)
            throw new ArgumentException($"hidden size {config.HiddenSize} is not a multiple of {config.NumHeads} heads");
        if (config.HiddenAct is not ("gelu" or "gelu_new" or "relu"))
            throw new NotSupportedException($"BERT activation '{config.HiddenAct}' is not supported (gelu, gelu_new, relu are).");
        Config = config;
        Device = device ?? CPU;
        w = new Dictionary<string, Tensor>();
        foreach (var (name, shape) in ExpectedWeights(config))
        {
            if (!weights.TryGetValue(name, out var t))
                throw new KeyNotFoundException($"BERT weight '{name}' (shape [{string.Join(", ", shape)}]) is missing.");
            if (!t.shape.SequenceEqual(shape))
                throw new InvalidDataException($"BERT weight '{name}' has shape [{string.Join(", ", t.shape)}], expected [{string.Join(", ", shape)}].");
            w[name] = t.to(float32).to(Device).contiguous().DetachFromDisposeScope();
        }
    }

    /// <summary>Every weight the forward pass reads, with its shape.</summary>
    public static IEnumerable<(string Name, long[] Shape)> ExpectedWeights(BertConfig c)
    {
        long h = c.HiddenSize, ff = c.IntermediateSize;
        yield return ("embeddings.word_embeddings.weight", [c.VocabSize, h]);
        yield return ("embeddings.position_embeddings.weight", [c.MaxPositions, h]);
        yield return ("embeddings.token_type_embeddings.weight", [c.TypeVocabSize, h]);
        yield return ("embeddings.LayerNorm.weight", [h]);
        yield return ("embeddings.LayerNorm.bias", [h]);
        for (var i = 0; i < c.NumLayers; i++)
        {
            var p = $"encoder.layer.{i}.";
            foreach (var (name, outDim, inDim) in new[]
                     {
                         ("attention.self.query", h, h), ("attention.self.key", h, h), ("attention.self.value", h, h),
                         ("attention.output.dense", h, h), ("intermediate.dense", ff, h), ("output.dense", h, ff),
                     })
            {
                yield return (p + name + ".weight", [outDim, inDim]);
                yield return (p + name + ".bias", [outDim]);
            }
            foreach (var ln in new[] { "attention.output.LayerNorm", "output.LayerNorm" })
            {
                yield return (p + ln + ".weight", [h]);
                yield return (p + ln + ".bias", [h]);
            }
        }
    }

    /// <summary>
    /// <paramref name="inputIds"/> and <paramref name="attentionMask"/>: int64 [batch, tokens] on <see cref="Device"/>
    /// (mask 1 = real token, 0 = padding); all tokens are segment 0.
    /// Returns NumLayers + 1 float32 tensors [batch, tokens, hidden]: the embeddings, then the output of each block.
    /// </summary>
    public Tensor[] Forward(Tensor inputIds, Tensor attentionMask)
    {
        var (batch, tokens) = (inputIds.shape[0], inputIds.shape[1]);
        if (tokens > Config.MaxPositions)
            throw new ArgumentException($"{tokens} tokens exceed the model's {Config.MaxPositions} positions");
        long h = Config.HiddenSize, heads = Config.NumHeads, headDim = h / heads;

        var positions = arange(tokens, dtype: int64, device: Device);
        var x = w["embeddings.word_embeddings.weight"].index_select(0, inputIds.reshape(-1)).view(batch, tokens, h)
                + w["embeddings.position_embeddings.weight"].index_select(0, positions)
                + w["embeddings.token_type_embeddings.weight"][0];
        x = LayerNorm(x, "embeddings.LayerNorm");
        var hidden = new List<Tensor> { x };

        // Padding keys get -10000 added to their scores (as in the exported MiniLM graph), so no token attends to them: [batch, 1, 1, tokens].
        var maskBias = ((1 - attentionMask.to(float32)) * -10000f).view(batch, 1, 1, tokens);
        for (var i = 0; i < Config.NumLayers; i++)
        {
            var p = $"encoder.layer.{i}.";
            Tensor Heads(Tensor t) => t.view(batch, tokens, heads, headDim).transpose(1, 2);
            var q = Heads(Linear(x, p + "attention.self.query"));
            var k = Heads(Linear(x, p + "attention.self.key"));
            var v = Heads(Linear(x, p + "attention.self.value"));
            var attended = F.scaled_dot_product_attention(q, k, v, maskBias).transpose(1, 2).reshape(batch, tokens, h);
            x = LayerNorm(x + Linear(attended, p + "attention.output.dense"), p + "attention.output.LayerNorm");
            var inner = Activation(Linear(x, p + "intermediate.dense"));
            x = LayerNorm(x + Linear(inner, p + "output.dense"), p + "output.LayerNorm");
            hidden.Add(x);
        }
        return hidden.ToArray();
    }

    Tensor Linear(Tensor x, string name) => F.linear(x, w[name + ".weight"], w[name + ".bias"]);

    Tensor LayerNorm(Tensor x, string name) =>
        F.layer_norm(x, [Config.HiddenSize], w[name + ".weight"], w[name + ".bias"], Config.LayerNormEps);

    Tensor Activation(Tensor x) => Config.HiddenAct switch
    {
        "gelu" => F.gelu(x),
        "gelu_new" => F.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh),
        _ => F.relu(x),
    };

    public void Dispose()
    {
        foreach (var t in w.Values) t.Dispose();
        w.Clear();
    }
}
