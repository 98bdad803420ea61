namespace ScienceOfDL.Ccs.Experiments;

/// <summary>How to pick one setting (layer, token, scaling...) out of many.</summary>
public enum SelectionRule
{
    /// <summary>The lowest training loss of the chosen CCS restart: no labels used (Burns et al. chose between an
    /// encoder and a decoder this way).</summary>
    LowestCcsLoss,
    /// <summary>The lowest CCS loss of the chosen restart on the held-out (test) pairs: still no labels, but a probe
    /// that only fits its training pairs is not rewarded.</summary>
    LowestHeldOutCcsLoss,
    /// <summary>The best CCS test accuracy: uses labels (an oracle's pick).</summary>
    HighestCcsAccuracy,
    /// <summary>The best supervised logistic regression: uses labels (where the truth is most linearly
    /// present).</summary>
    HighestLrAccuracy,
}
