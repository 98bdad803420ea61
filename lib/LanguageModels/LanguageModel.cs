using System.Diagnostics;
using static TorchSharp.torch;

namespace ScienceOfDL.LanguageModels;

/// <summary>
/// A tokenizer plus a forward pass that returns every layer: the batching, padding, pooling and progress shared by the
/// BERT and GPT-2 models. Texts are sorted by length before batching so that a batch holds similar lengths (less
/// padding); rows come back in the caller's order. Every requested token position is read off the same forward pass.
/// </summary>
public sealed class LanguageModel : ILanguageModel
{
    readonly Func<string, IReadOnlyList<int>> tokenize;
    readonly int[] startTokens,
        endTokens;
    readonly int maxPositions;
    readonly Func<Tensor, Tensor, Tensor[]> forwardRows;
    readonly IDisposable weights;
    readonly long padId;

    public string Name { get; }
    public int NumLayers { get; }
    public int HiddenSize { get; }
    public Device Device { get; }

    /// <param name="tokenize">text → token ids, without special tokens and not cut</param> <param
    /// name="startTokens">ids put before every text ([CLS] for BERT)</param> <param name="endTokens">ids put after
    /// every text ([SEP] for BERT)</param> <param name="maxPositions">the model's positions; longer texts lose their
    /// start</param> <param name="forwardRows">(ids, mask) int64 [batch, tokens], right-padded → NumLayers + 1 tensors
    /// [realTokens, hidden]: the real tokens only, text after text, in order</param> <param name="weights">disposed
    /// with this model</param>
    public LanguageModel(
        string name,
        int numLayers,
        int hiddenSize,
        Device device,
        long padId,
        Func<string, IReadOnlyList<int>> tokenize,
        int[] startTokens,
        int[] endTokens,
        int maxPositions,
        Func<Tensor, Tensor, Tensor[]> forwardRows,
        IDisposable weights
    )
    {
        if (maxPositions <= startTokens.Length + endTokens.Length)
            throw new ArgumentException($"{maxPositions} positions leave no room for a text");
        (Name, NumLayers, HiddenSize, Device) = (name, numLayers, hiddenSize, device);
        (this.padId, this.tokenize, this.startTokens, this.endTokens, this.maxPositions) = (
            padId,
            tokenize,
            startTokens,
            endTokens,
            maxPositions
        );
        (this.forwardRows, this.weights) = (forwardRows, weights);
    }

    public static LanguageModel FromBert(string name, BertEncoder encoder, WordPieceTokenizer tokenizer) =>
        new(
            name,
            encoder.Config.NumLayers,
            encoder.Config.HiddenSize,
            encoder.Device,
            tokenizer.PadId,
            tokenizer.EncodeWithoutSpecials,
            [tokenizer.ClsId],
            [tokenizer.SepId],
            encoder.Config.MaxPositions,
            encoder.ForwardRows,
            encoder
        );

    /// <summary>GPT-2 has no padding token: padding uses id 0, which the causal mask hides from the real tokens
    /// anyway.</summary>
    public static LanguageModel FromGpt2(string name, Gpt2Decoder decoder, Func<string, IReadOnlyList<int>> tokenize) =>
        new(
            name,
            decoder.Config.NumLayers,
            decoder.Config.HiddenSize,
            decoder.Device,
            0,
            tokenize,
            [],
            [],
            decoder.Config.MaxPositions,
            decoder.ForwardRows,
            decoder
        );

    /// <summary>How many of a text's own tokens fit beside the special tokens.</summary>
    int Room => maxPositions - startTokens.Length - endTokens.Length;

    /// <summary>Token ids for one text, as the model will see them (special tokens added, the start cut if too
    /// long).</summary>
    public int[] Encode(string text)
    {
        var ids = tokenize(text);
        var keep = Math.Min(ids.Count, Room);
        if (keep + startTokens.Length + endTokens.Length == 0)
            throw new ArgumentException("An empty text has no tokens (and this model adds no special tokens).");
        return [.. startTokens, .. ids.Skip(ids.Count - keep), .. endTokens];
    }

    /// <summary>
    /// The answer's tokens in <see cref="Encode"/>'s output: indices [Start, End). Found by tokenizing the text up to
    /// the answer and up to its end; both must be prefixes of the whole text's tokens (the answer starts and ends at a
    /// token boundary), and the answer must have at least one token that survives the cut of a long text's start.
    /// </summary>
    public (int Start, int End) AnswerTokens(string text, AnswerSpan answer)
    {
        if (answer.Start < 0 || answer.Length <= 0 || answer.End > text.Length)
            throw new ArgumentOutOfRangeException(
                nameof(answer),
                $"{answer} does not lie inside a text of {text.Length} characters"
            );
        var all = tokenize(text);
        var before = tokenize(text[..answer.Start]);
        var through = tokenize(text[..answer.End]);
        bool IsPrefix(IReadOnlyList<int> p) => p.Count <= all.Count && p.Select((id, i) => id == all[i]).All(s => s);
        var shown = text[answer.Start..answer.End];
        if (!IsPrefix(before) || !IsPrefix(through) || through.Count <= before.Count)
            throw new ArgumentException(
                $"the answer '{shown}' does not fall on token boundaries (or has no token of its own) in '{text}'"
            );
        var dropped = all.Count - Math.Min(all.Count, Room);
        if (before.Count < dropped)
            throw new ArgumentException(
                $"the answer '{shown}' is cut off: the text is longer than {maxPositions} "
                    + $"positions and loses its first {dropped} tokens"
            );
        return (startTokens.Length + before.Count - dropped, startTokens.Length + through.Count - dropped);
    }

    public Tensor HiddenStates(
        IReadOnlyList<string> texts,
        IReadOnlyList<TokenPosition> positions,
        IReadOnlyList<AnswerSpan>? answers = null,
        int batchSize = 32,
        IProgress<ExtractionProgress>? progress = null
    )
    {
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize));
        if (positions.Count == 0)
            throw new ArgumentException("no token position asked for", nameof(positions));
        if (positions.Contains(TokenPosition.Answer) && answers is null)
            throw new ArgumentException("TokenPosition.Answer needs the answers' spans", nameof(answers));
        if (answers is not null && answers.Count != texts.Count)
            throw new ArgumentException($"{answers.Count} answer spans for {texts.Count} texts", nameof(answers));
        var clock = Stopwatch.StartNew();
        var ids = texts.Select(Encode).ToArray();
        var answerTokens = positions.Contains(TokenPosition.Answer)
            ? texts.Select((t, i) => AnswerTokens(t, answers![i])).ToArray()
            : null;
        var order = Enumerable.Range(0, ids.Length).OrderBy(i => ids[i].Length).ToArray();
        var result = zeros(positions.Count, texts.Count, NumLayers + 1, HiddenSize, dtype: float32);
        var lastReport = TimeSpan.Zero;
        using var inference = inference_mode();
        for (var start = 0; start < order.Length; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var rows = order[start..Math.Min(order.Length, start + batchSize)];
            var (input, mask) = Pad(rows.Select(i => ids[i]).ToArray());
            var layers = stack(forwardRows(input, mask)); // [layers, realTokens, hidden]
            var pooling = PoolingMatrix(
                rows.Select(i => ids[i].Length).ToArray(),
                positions,
                rows.Select(i => answerTokens?[i] ?? default).ToArray()
            ); // [positions × batch, realTokens]
            var pooled = matmul(pooling, layers) // [layers, positions × batch, hidden]
                .view(NumLayers + 1, positions.Count, rows.Length, HiddenSize)
                .permute(1, 2, 0, 3)
                .to(float32)
                .cpu(); // [positions, batch, layers, hidden]
            result.index_copy_(1, tensor(rows.Select(i => (long)i).ToArray(), dtype: int64), pooled);
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

    /// <summary>float32 [texts.Count, NumLayers + 1, HiddenSize] on the CPU: one position (as <see
    /// cref="ILanguageModel"/>).</summary>
    public Tensor HiddenStates(
        IReadOnlyList<string> texts,
        TokenPosition position,
        int batchSize = 32,
        IProgress<ExtractionProgress>? progress = null
    )
    {
        using var all = HiddenStates(texts, [position], null, batchSize, progress);
        return all[0].clone();
    }

    /// <summary>
    /// Pooling as one matrix over the batch's real tokens (text after text): row (position, text) holds the weights of
    /// that text's pooled state, 1 on one token for First/Last/LastText, 1/n on each of n tokens for Mean/Answer.
    /// </summary>
    Tensor PoolingMatrix(int[] lengths, IReadOnlyList<TokenPosition> positions, (int Start, int End)[] answers)
    {
        var total = lengths.Sum();
        var weights = new float[positions.Count * lengths.Length * total];
        for (var p = 0; p < positions.Count; p++)
        for (int b = 0, offset = 0; b < lengths.Length; offset += lengths[b], b++)
        {
            var (from, to) = positions[p] switch
            {
                TokenPosition.First => (0, 1),
                TokenPosition.Last => (lengths[b] - 1, lengths[b]),
                TokenPosition.Mean => (0, lengths[b]),
                TokenPosition.Answer => answers[b],
                TokenPosition.LastText => (
                    Math.Max(0, lengths[b] - 1 - endTokens.Length),
                    Math.Max(1, lengths[b] - endTokens.Length)
                ),
                _ => throw new ArgumentOutOfRangeException(nameof(positions)),
            };
            var row = (p * lengths.Length + b) * total + offset;
            for (var t = from; t < to; t++)
                weights[row + t] = 1f / (to - from);
        }
        return tensor(weights, [positions.Count * lengths.Length, total], device: Device);
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
        return (
            tensor(idData, [batch.Count, width], dtype: int64, device: Device),
            tensor(maskData, [batch.Count, width], dtype: int64, device: Device)
        );
    }

    public void Dispose() => weights.Dispose();
}
