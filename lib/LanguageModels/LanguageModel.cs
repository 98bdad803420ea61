using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace ScienceOfDL.LanguageModels;

/// <summary>
/// Which token's hidden state represents a text.
/// <list type="bullet">
/// <item><c>Last</c>: the last non-padding token, as the CCS paper's code does (<c>token_idx=-1</c>). For BERT-family encoders
/// that is the closing [SEP], which attends to the whole text; for GPT-2 it is the text's own last token, the only one that
/// has seen all of it.</item>
/// <item><c>First</c>: position 0 ([CLS] for BERT; the first kept token for GPT-2, which has seen nothing else).</item>
/// <item><c>Mean</c>: the mean over all non-padding tokens (special tokens included, as sentence-transformers pools).</item>
/// </list>
/// Texts longer than the model's positions lose their START, so the end (where a CCS prompt puts the answer) is always kept.
/// </summary>
public enum TokenPosition { Last, First, Mean }

/// <summary>Progress of a hidden-state extraction: texts done so far out of the total.</summary>
public sealed record ExtractionProgress(int TextsDone, int TextsTotal, TimeSpan Elapsed)
{
    public override string ToString() => $"{TextsDone}/{TextsTotal} texts, {Elapsed.TotalSeconds:F0} s";
}

/// <summary>A language model seen as a map from texts to hidden states at every layer.</summary>
public interface ILanguageModel : IDisposable
{
    /// <summary>Identifies the weights (used as the hidden-state cache's key).</summary>
    string Name { get; }
    int NumLayers { get; }
    int HiddenSize { get; }
    Device Device { get; }

    /// <summary>float32 [texts.Count, NumLayers + 1, HiddenSize] on the CPU; index 0 along dim 1 = the embeddings.</summary>
    Tensor HiddenStates(IReadOnlyList<string> texts, TokenPosition position, int batchSize = 32,
        IProgress<ExtractionProgress>? progress = null);
}

/// <summary>
/// A tokenizer plus a forward pass that returns every layer: the batching, padding, pooling and progress shared by the
/// BERT and GPT-2 models. Texts are sorted by length before batching so that a batch holds similar lengths (less padding);
/// rows come back in the caller's order.
/// </summary>
public sealed class LanguageModel : ILanguageModel
{
    readonly Func<string, int[]> encode;
    readonly Func<Tensor, Tensor, Tensor[]> forward;
    readonly IDisposable weights;
    readonly long padId;

    public string Name { get; }
    public int NumLayers { get; }
    public int HiddenSize { get; }
    public Device Device { get; }

    /// <param name="encode">text → token ids with any special tokens, already cut to the model's positions</param>
    /// <param name="forward">(ids, mask) int64 [batch, tokens] → NumLayers + 1 tensors [batch, tokens, hidden]</param>
    /// <param name="weights">disposed with this model</param>
    public LanguageModel(string name, int numLayers, int hiddenSize, Device device, long padId,
        Func<string, int[]> encode, Func<Tensor, Tensor, Tensor[]> forward, IDisposable weights)
    {
        (Name, NumLayers, HiddenSize, Device) = (name, numLayers, hiddenSize, device);
        (this.padId, this.encode, this.forward, this.weights) = (padId, encode, forward, weights);
    }

    public static LanguageModel FromBert(string name, BertEncoder encoder, WordPieceTokenizer tokenizer) =>
        new(name, encoder.Config.NumLayers, encoder.Config.HiddenSize, encoder.Device, tokenizer.PadId,
            text => tokenizer.Encode(text, encoder.Config.MaxPositions), encoder.Forward, encoder);

    /// <summary>GPT-2 has no padding token: padding uses id 0, which the causal mask hides from the real tokens anyway.</summary>
    public static LanguageModel FromGpt2(string name, Gpt2Decoder decoder, Func<string, IReadOnlyList<int>> tokenize) =>
        new(name, decoder.Config.NumLayers, decoder.Config.HiddenSize, decoder.Device, 0,
            text =>
            {
                var ids = tokenize(text);
                if (ids.Count == 0) throw new ArgumentException("GPT-2 cannot represent an empty text (it has no start token).");
                return ids.Skip(Math.Max(0, ids.Count - decoder.Config.MaxPositions)).ToArray(); // keep the end
            },
            decoder.Forward, decoder);

    /// <summary>Token ids for one text, as the model will see them (special tokens added, cut to the positions).</summary>
    public int[] Encode(string text) => encode(text);

    public Tensor HiddenStates(IReadOnlyList<string> texts, TokenPosition position, int batchSize = 32,
        IProgress<ExtractionProgress>? progress = null)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize));
        var clock = Stopwatch.StartNew();
        var ids = texts.Select(encode).ToArray();
        var order = Enumerable.Range(0, ids.Length).OrderBy(i => ids[i].Length).ToArray();
        var result = zeros(texts.Count, NumLayers + 1, HiddenSize, dtype: float32);
        var lastReport = TimeSpan.Zero;
        using var noGrad = no_grad();
        for (var start = 0; start < order.Length; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var rows = order[start..Math.Min(order.Length, start + batchSize)];
            var (input, mask) = Pad(rows.Select(i => ids[i]).ToArray());
            var layers = forward(input, mask);
            var pooled = stack(layers.Select(h => Pool(h, mask, position)).ToArray(), dim: 1); // [batch, layers, hidden]
            result.index_copy_(0, tensor(rows.Select(i => (long)i).ToArray(), dtype: int64), pooled.to(float32).cpu());
            var done = Math.Min(order.Length, start + batchSize);
            // Throttled: at most one report a second, plus the final one.
            if (progress is not null && (clock.Elapsed - lastReport >= TimeSpan.FromSeconds(1) || done == order.Length))
            {
                lastReport = clock.Elapsed;
                progress.Report(new ExtractionProgress(done, order.Length, clock.Elapsed));
            }
        }
        return result;
    }

    /// <summary>Right-padded int64 ids and their 0/1 mask, on the model's device.</summary>
    public (Tensor Ids, Tensor Mask) Pad(IReadOnlyList<int[]> batch)
    {
        var width = batch.Max(b => b.Length);
        var idData = new long[batch.Count * width];
        var maskData = new long[batch.Count * width];
        for (var r = 0; r < batch.Count; r++)
            for (var c = 0; c < width; c++)
            {
                var real = c < batch[r].Length;
                idData[r * width + c] = real ? batch[r][c] : padId;
                maskData[r * width + c] = real ? 1 : 0;
            }
        return (tensor(idData, [batch.Count, width], dtype: int64, device: Device),
                tensor(maskData, [batch.Count, width], dtype: int64, device: Device));
    }

    static Tensor Pool(Tensor h, Tensor mask, TokenPosition position)
    {
        var lengths = mask.sum(1); // int64 [batch]
        switch (position)
        {
            case TokenPosition.First:
                return h.select(1, 0);
            case TokenPosition.Last:
                var last = (lengths - 1).view(-1, 1, 1).expand(-1, 1, h.shape[2]);
                return h.gather(1, last).squeeze(1);
            case TokenPosition.Mean:
                var m = mask.to(h.dtype).unsqueeze(2);
                return (h * m).sum(1) / m.sum(1);
            default:
                throw new ArgumentOutOfRangeException(nameof(position));
        }
    }

    public void Dispose() => weights.Dispose();
}
