using static TorchSharp.torch;

namespace ScienceOfDL.Grokking;

/// <summary>
/// The loss of every grokking run, computed on float64 logits (the network itself stays float32). In float32,
/// log-softmax of a confidently right row rounds to multiples of about 1.2e-7 (float32's epsilon): once a run's loss
/// gets there, the correct logit's gradient is rounded to zero and AdamW rescales whatever rounding noise is left
/// ("softmax collapse", Prieto et al. 2025). Nanda et al.'s code casts to float64 for this reason.
/// </summary>
public static class CrossEntropy
{
    /// <summary>Mean cross-entropy of logits (N, classes) against labels (N), in <paramref name="precision"/>
    /// (float64 unless a lesson asks for float32); the gradient flows back to the logits' own type.</summary>
    public static Tensor Mean(Tensor logits, Tensor labels, ScalarType precision = ScalarType.Float64) =>
        nn.functional.cross_entropy(logits.to(precision), labels);

    /// <summary>Cross-entropy per example, as <see cref="Mean"/>.</summary>
    public static Tensor PerExample(Tensor logits, Tensor labels, ScalarType precision = ScalarType.Float64) =>
        nn.functional.cross_entropy(logits.to(precision), labels, reduction: nn.Reduction.None);
}
