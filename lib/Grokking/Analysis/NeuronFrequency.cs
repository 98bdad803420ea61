namespace ScienceOfDL.Grokking;

/// <summary>The frequency an MLP neuron at "=" is tuned to, as Nanda et al. (2023) assign it: of all frequencies k, the
/// one whose constant-free linear and quadratic 2-D Fourier terms in (a, b) explain the largest share of the neuron's
/// activation variance over all p² inputs. Frequency 0 marks a neuron whose activation never varies (a dead
/// neuron).</summary>
public sealed record NeuronFrequency(int Neuron, int Frequency, double FractionExplained);
