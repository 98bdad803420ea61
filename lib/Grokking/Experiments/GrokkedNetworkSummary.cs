namespace ScienceOfDL.Grokking;

/// <summary>One grokked network of the efficiency study: its initialisation seed (network i has seed i), the step it
/// was trained to, and its trig share: the share of its logits' squared norm (each input's mean removed) that lies in
/// the trigonometric directions of all Fourier frequencies (<see cref="Fourier.Analyse"/>; the study counts a network
/// as generalising at 0.95 or more).</summary>
public sealed record GrokkedNetworkSummary(int InitSeed, int Step, double TrigShare)
{
    /// <summary>A row per network of <see cref="EfficiencyStudy.GrokkedNetworks"/>, measured on the split they grokked
    /// on.</summary>
    public static List<GrokkedNetworkSummary> Of(IReadOnlyList<TrainingState> networks, Split grokkedOn) =>
        networks
            .Select((n, i) => new GrokkedNetworkSummary(i, n.Step, Fourier.Analyse(n.Model, grokkedOn).TrigShare))
            .ToList();
}
