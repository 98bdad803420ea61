using ScienceOfDL.Ccs.Data;
using static TorchSharp.torch;

namespace ScienceOfDL.Ccs.Probing;

/// <summary>
/// Hidden states of contrast pairs, one row per pair: <c>Pos</c> [n, d] is φ(x⁺) (the statement answered with the first
/// label, "Yes"), <c>Neg</c> [n, d] is φ(x⁻). <c>Labels[i]</c> is 1 when x⁺ is the true half. <c>Templates[i]</c> is
/// the prompt template that produced row i (normalisation is done per template). Every method here works on the device
/// of these tensors.
/// </summary>
public sealed record HiddenPairs(Tensor Pos, Tensor Neg, int[] Labels, int[] Templates)
{
    /// <summary>The answer each x⁺ ends with (e.g. " Company"), when known; null when every x⁺ of a template ends with
    /// the same answer is all that is known. <see cref="Centring.PerAnswerWord"/> needs these.</summary>
    public string[]? PosAnswers { get; init; }

    /// <summary>The answer each x⁻ ends with, as <see cref="PosAnswers"/>.</summary>
    public string[]? NegAnswers { get; init; }

    public int Count => (int)Pos.shape[0];
    public int Dim => (int)Pos.shape[1];
    public Device Device => Pos.device;

    /// <summary>A single-template set (template 0 for every row).</summary>
    public static HiddenPairs Of(Tensor pos, Tensor neg, int[] labels) => new(pos, neg, labels, new int[labels.Length]);

    /// <summary>The rows with the given indices (a train or test split, one template...).</summary>
    public HiddenPairs Select(int[] rows)
    {
        using var index = tensor(rows.Select(r => (long)r).ToArray(), int64, Device);
        return new(
            Pos.index_select(0, index),
            Neg.index_select(0, index),
            rows.Select(r => Labels[r]).ToArray(),
            rows.Select(r => Templates[r]).ToArray()
        )
        {
            PosAnswers = PosAnswers is null ? null : rows.Select(r => PosAnswers[r]).ToArray(),
            NegAnswers = NegAnswers is null ? null : rows.Select(r => NegAnswers[r]).ToArray(),
        };
    }

    /// <summary>The rows of one template.</summary>
    public HiddenPairs Template(int template) =>
        Select(Enumerable.Range(0, Count).Where(i => Templates[i] == template).ToArray());

    /// <summary>x⁺ − x⁻ [n, d]: the "contrastive" space that CRC (PCA, BSS) and k-means cluster.</summary>
    public Tensor Differences() => Pos - Neg;

    /// <summary>Labels as a float tensor [n] on the states' device.</summary>
    public Tensor LabelTensor() => tensor(Labels.Select(l => (float)l).ToArray(), float32, Device);

    public void Validate()
    {
        if (Pos.ndim != 2 || !Pos.shape.SequenceEqual(Neg.shape))
            throw new ArgumentException(
                $"Pos and Neg must both be [n, d]; got [{string.Join(",",
                Pos.shape)}] and [{string.Join(",", Neg.shape)}]."
            );
        if (Labels.Length != Count || Templates.Length != Count)
            throw new ArgumentException(
                $"{Count} rows but {Labels.Length} labels and {Templates.Length} template " + $"ids."
            );
        if (Labels.Any(l => l is not (0 or 1)))
            throw new ArgumentException("Labels must be 0 or 1.");
        if (
            (PosAnswers is null) != (NegAnswers is null)
            || (PosAnswers is not null && (PosAnswers.Length != Count || NegAnswers!.Length != Count))
        )
            throw new ArgumentException($"{Count} rows need an answer for each half, or none.");
    }
}
