using ScienceOfDL.Ccs.Probing;
using ScienceOfDL.LanguageModels;
using ScienceOfDL.Statistics;

namespace ScienceOfDL.Ccs.Experiments;

/// <summary>The setting one <see cref="SelectionRule"/> picks among <see cref="SettingsCompared"/> settings
/// (<see cref="Among"/> says which), with what it was picked by and what it gives on the untouched test split: the
/// lowest-loss CCS restart's test accuracy with its 95% Wilson interval, and LR's beside it.</summary>
public sealed record RepresentationChoice(
    string Rule,
    bool UsesLabels,
    string Among,
    int SettingsCompared,
    string Dataset,
    TokenPosition Token,
    Scaling Scaling,
    Centring Centring,
    int Layer,
    double CcsValidation,
    double CcsValidationLoss,
    Interval CcsTest,
    double LrTest,
    int TestPairs
)
{
    public static RepresentationChoice Of(
        SelectionRule rule,
        string among,
        IReadOnlyCollection<RepresentationSummary> settings
    )
    {
        var s = RepresentationStudy.Pick(settings, rule);
        return new(
            Describe(rule),
            ReadsLabels(rule),
            among,
            settings.Count,
            s.Dataset,
            s.Token,
            s.Scaling,
            s.Centring,
            s.Layer,
            s.CcsValidation,
            s.CcsValidationLoss,
            Proportion.Wilson(s.Ccs, s.TestPairs),
            s.Lr,
            s.TestPairs
        );
    }

    public static bool ReadsLabels(SelectionRule rule) =>
        rule is not (SelectionRule.LowestValidationCcsLoss or SelectionRule.LowestTrainingCcsLoss);

    public static string Describe(SelectionRule rule) =>
        rule switch
        {
            SelectionRule.HighestValidationCcsAccuracy => "highest validation accuracy (CCS)",
            SelectionRule.LowestValidationCcsLoss => "lowest validation CCS loss (label-free)",
            SelectionRule.LowestTrainingCcsLoss => "lowest training CCS loss (label-free)",
            SelectionRule.HighestValidationLrAccuracy => "highest validation accuracy (LR)",
            SelectionRule.OracleHighestTestCcsAccuracy =>
                "oracle: highest test accuracy (test labels; not a measurement)",
            _ => throw new ArgumentOutOfRangeException(nameof(rule)),
        };
}

/// <summary>For one slice of a dataset (a difficulty subset or a template), the setting whose lowest-loss CCS restart
/// is best on validation, read on the test split, beside the LR setting that is best on validation.</summary>
public sealed record SliceBest(
    string Dataset,
    string Subset,
    string Template,
    int SettingsCompared,
    TokenPosition Token,
    Scaling Scaling,
    int Layer,
    double CcsValidation,
    Interval CcsTest,
    double LrTest,
    int TestPairs
);

/// <summary>Per dataset, scaling and centring: the test accuracy of the setting (token × layer) best on validation,
/// and the mean test accuracy over all of them.</summary>
public sealed record ScalingEffect(
    string Dataset,
    Scaling Scaling,
    Centring Centring,
    int Settings,
    double CcsOfBestOnValidation,
    double MeanCcs,
    double LrOfBestOnValidation
);

/// <summary>One prompt template at one setting, fitted on its own: what its answers are, and CCS (lowest-loss restart,
/// test accuracy oriented on validation), PCA (TPC) and LR on its test pairs.</summary>
public sealed record TemplateResult(
    string Template,
    string Answers,
    Centring Centring,
    Interval Ccs,
    double CcsValidation,
    double Pca,
    double Lr,
    double Untrained,
    int TestPairs
);

/// <summary>A named way of reading a dataset: token, scaling, centring and layer (e.g. Burns' default: the last token
/// of the last layer).</summary>
public sealed record StudyReading(string Name, TokenPosition Token, Scaling Scaling, Centring Centring, int Layer)
{
    public override string ToString() => $"{Name}: {Token}, {Scaling}, {Centring}-centred, layer {Layer}";
}

/// <summary>One line of the comparison with Burns et al.'s Table 1: a dataset (or a mean over datasets, or a paper's
/// number) at one reading. Test accuracies; zero-shot needs a language-modelling head.</summary>
public sealed record BurnsComparisonRow(
    string Source,
    string Setting,
    double Ccs,
    double Lr,
    double PcaTpc,
    double Untrained,
    string ZeroShot = "n/a (no LM head)"
);

/// <summary>One bar of the chart beside Burns et al.: a dataset's test accuracy by one method at one reading.</summary>
public sealed record ReadingBar(string Dataset, StudyReading Reading, string Method, double Accuracy);

/// <summary>Per dataset, token and centring, over every scaling × layer: the range of the lowest-loss CCS restart's
/// test accuracy and training loss, and the best PCA (TPC) and LR test accuracy. A description of every setting, not a
/// pick.</summary>
public sealed record TokenRange(
    string Dataset,
    TokenPosition Token,
    Centring Centring,
    int Settings,
    double CcsMin,
    double CcsMax,
    double PcaMax,
    double LrMax,
    double CcsTrainLossMin,
    double CcsTrainLossMax
);
