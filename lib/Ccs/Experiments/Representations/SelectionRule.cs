namespace ScienceOfDL.Ccs.Experiments;

/// <summary>How to pick one setting (dataset, layer, token, scaling, centring) out of many. Every rule reads the
/// training or validation split only, except <see cref="OracleHighestTestCcsAccuracy"/>, which is shown to say how
/// optimistic a pick by test labels would be, never as a measurement.</summary>
public enum SelectionRule
{
    /// <summary>The highest validation accuracy of the lowest-loss CCS restart: uses validation labels (and nothing of
    /// the test split).</summary>
    HighestValidationCcsAccuracy,

    /// <summary>The lowest CCS loss of the lowest-loss restart on the validation pairs: no labels at all, and a probe
    /// that only fits its training pairs is not rewarded.</summary>
    LowestValidationCcsLoss,

    /// <summary>The lowest training loss of the lowest-loss restart: no labels (Burns et al. chose between an encoder
    /// and a decoder this way).</summary>
    LowestTrainingCcsLoss,

    /// <summary>The best supervised logistic regression on validation: uses validation labels (where the truth is most
    /// linearly present).</summary>
    HighestValidationLrAccuracy,

    /// <summary>The best CCS accuracy on the test split: what picking by test labels would report (an optimistic
    /// maximum over every setting compared, not a measurement).</summary>
    OracleHighestTestCcsAccuracy,
}
