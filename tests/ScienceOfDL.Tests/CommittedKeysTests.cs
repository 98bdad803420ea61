using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ScienceOfDL.Ccs.Experiments;
using ScienceOfDL.Grokking;
using ScienceOfDL.Results;

namespace ScienceOfDL.Tests;

/// <summary>
/// Committed results are found again only if the code still builds the same key for the same settings. Every key is
/// a named record; reading each committed <c>.settings.json</c> back into its record and keying it again must give the
/// file's own name. Renaming a record's field, or a change that alters how a key is written, fails here instead of
/// silently orphaning hours of results. A result whose kind no record keys must be retired (deleted) on purpose.
/// </summary>
public class CommittedKeysTests
{
    static readonly string Results = Path.Combine(Repository.Root(), "data", "results");

    /// <summary>Result kind (the file name before its hash) → the record its settings are keyed by.</summary>
    public static readonly (Regex Kind, Type Settings)[] Keyed =
    [
        (new(@"^(grokking-p\d+|semigrok-p\d+-D\d+)$"), typeof(Trainer.RunSettings)),
        (new(@"^(circuit|ungrokking)-trace-p\d+$"), typeof(CircuitTrace.TraceSettings)),
        (new(@"^efficiency-study-p\d+$"), typeof(EfficiencyStudy.StudySettings)),
        (new(@"^ungrokking-p\d+$"), typeof(Ungrokking.SweepSettings)),
        (new(@"^ccs-representations-.+$"), typeof(RepresentationStudy.StudySettings)),
        (new(@"^ccs-as-pca-summary$"), typeof(CcsPcaSummary.SummarySettings)),
        (new(@"^ccs-layer-sweep$"), typeof(LayerSweep.SweepSettings)),
        (new(@"^banana-shed-tokens$"), typeof(DistractorExperiment.GridSettings)),
        (new(@"^banana-shed-(?!tokens$).+$"), typeof(DistractorExperiment.SweepSettings)),
    ];

    public static IEnumerable<object[]> SettingsFiles() =>
        Directory.GetFiles(Results, "*.settings.json").Order().Select(f => new object[] { Path.GetFileName(f) });

    [Theory]
    [MemberData(nameof(SettingsFiles))]
    public void A_committed_result_is_keyed_by_the_same_record_and_file_name_today(string file)
    {
        var doc = JsonNode.Parse(File.ReadAllText(Path.Combine(Results, file)))!;
        var (kind, variant, key) = (
            doc["kind"]!.GetValue<string>(),
            doc["variant"]!.GetValue<string>(),
            doc["key"]!.GetValue<string>()
        );
        var keyed = Keyed.Where(k => k.Kind.IsMatch(kind)).Select(k => k.Settings).ToList();
        Assert.True(
            keyed.Count == 1,
            $"{file}: no record (or more than one) keys results of kind '{kind}'; name "
                + "its settings record in CommittedKeysTests.Keyed, or retire the file."
        );
        var again = ResultKey.Of(kind, ResultKey.Parse(keyed[0], key), variant);
        Assert.Equal(key, again.Settings);
        Assert.Equal(file, again.Stem + ".settings.json");
    }
}
