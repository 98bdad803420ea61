namespace ScienceOfDL.Grokking;

/// <summary>One grokked network at the end of its run: a starting point of the ungrokking runs.</summary>
/// <param name="TrigShare">Share of its logits' norm along the key frequencies' waves (<see cref="Fourier"/>); Varma
/// et al. call a network generalising above 0.95.</param>
public sealed record GrokkedNetwork(int Network, int InitSeed, int Step, double TestAccuracy, double TrigShare);

/// <summary>A network's key frequencies read three ways (from its logits, its embedding and its neurons), with its
/// trigonometric share and the Gini coefficient of its embedding spectrum.</summary>
public sealed record KeyFrequencyReadings(
    int[] FromLogits,
    int[] FromEmbedding,
    int[] FromNeurons,
    double TrigShare,
    double GiniEmbedding
);

/// <summary>The norm of a network along frequency <paramref name="K"/>: its embedding's, and its logits' rescaled so
/// that the largest logit bar is as tall as the largest embedding bar (for one chart).</summary>
public sealed record FrequencyNorm(int K, double Embedding, double LogitsRescaled);

/// <summary>The tables of notebook 05's circuit analysis, as typed rows.</summary>
public static class CircuitTables
{
    /// <summary>One row per network (network i has init seed i), given each network's final test accuracy.</summary>
    public static List<GrokkedNetwork> Grokked(
        IReadOnlyList<TrainingState> networks,
        IReadOnlyList<double> finalTestAccuracies,
        Split split
    )
    {
        if (networks.Count != finalTestAccuracies.Count)
            throw new ArgumentException(
                $"{networks.Count} networks but {finalTestAccuracies.Count} final test accuracies."
            );
        return GrokkedNetworkSummary
            .Of(networks, split)
            .Select((n, i) => new GrokkedNetwork(i, n.InitSeed, n.Step, finalTestAccuracies[i], n.TrigShare))
            .ToList();
    }

    /// <summary>The key frequencies of <paramref name="circuit"/>'s network read from its logits, its embedding and
    /// (as Nanda et al. read them) its neurons.</summary>
    public static KeyFrequencyReadings KeyFrequencies(
        Transformer model,
        OperationTable table,
        CircuitAnalysis circuit
    ) =>
        new(
            circuit.KeyFrequencies,
            Fourier.KeyFrequencies(circuit.EmbeddingSpectrum),
            ProgressMeasures.KeyFrequencies(model, table),
            circuit.TrigShare,
            circuit.GiniEmbedding
        );

    /// <summary>The embedding's and the (rescaled) logits' norm at each frequency k ≥ 1.</summary>
    public static List<FrequencyNorm> Spectrum(CircuitAnalysis circuit)
    {
        double embeddingMax = circuit.EmbeddingSpectrum.Max(),
            logitMax = circuit.LogitSpectrum.Max();
        return Enumerable
            .Range(1, circuit.EmbeddingSpectrum.Length - 1)
            .Select(k => new FrequencyNorm(
                k,
                circuit.EmbeddingSpectrum[k],
                circuit.LogitSpectrum[k] / logitMax * embeddingMax
            ))
            .ToList();
    }
}
