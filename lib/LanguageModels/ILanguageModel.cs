using static TorchSharp.torch;

namespace ScienceOfDL.LanguageModels;

/// <summary>A language model seen as a map from texts to hidden states at every layer.</summary>
public interface ILanguageModel : IDisposable
{
    /// <summary>Identifies the weights (used as the hidden-state cache's key).</summary>
    string Name { get; }
    int NumLayers { get; }
    int HiddenSize { get; }
    Device Device { get; }

    /// <summary>
    /// float32 [positions.Count, texts.Count, NumLayers + 1, HiddenSize] on the CPU, every position read off the same
    /// forward pass; index 0 along the layer axis = the embeddings. <see cref="TokenPosition.Answer"/> needs
    /// <paramref name="answers"/>, one span per text.
    /// </summary>
    Tensor HiddenStates(
        IReadOnlyList<string> texts,
        IReadOnlyList<TokenPosition> positions,
        IReadOnlyList<AnswerSpan>? answers = null,
        int batchSize = 32,
        IProgress<ExtractionProgress>? progress = null
    );

    /// <summary>float32 [texts.Count, NumLayers + 1, HiddenSize] on the CPU: one position.</summary>
    Tensor HiddenStates(
        IReadOnlyList<string> texts,
        TokenPosition position,
        int batchSize = 32,
        IProgress<ExtractionProgress>? progress = null
    )
    {
        using var all = HiddenStates(texts, [position], null, batchSize, progress);
        return all[0].clone();
    }
}
