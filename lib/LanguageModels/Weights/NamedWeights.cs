using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ScienceOfDL.LanguageModels;

/// <summary>The layers both model files apply to weights kept by their Hugging Face names (matrices stored [in,
/// out]).</summary>
internal static class NamedWeights
{
    /// <summary>x @ W + b for the weight and bias called <paramref name="name"/>.weight / .bias.</summary>
    public static Tensor Linear(IReadOnlyDictionary<string, Tensor> w, Tensor x, string name)
    {
        var weight = w[name + ".weight"];
        var flat = addmm(w[name + ".bias"], x.reshape(-1, weight.shape[0]), weight, 1, 1);
        return flat.view([.. x.shape[..^1], weight.shape[1]]);
    }

    public static Tensor LayerNorm(
        IReadOnlyDictionary<string, Tensor> w,
        Tensor x,
        string name,
        long size,
        double eps
    ) => F.layer_norm(x, [size], w[name + ".weight"], w[name + ".bias"], eps);

    public static void Dispose(Dictionary<string, Tensor> w)
    {
        foreach (var t in w.Values)
            t.Dispose();
        w.Clear();
    }
}
