using System.Globalization;
using System.Text.Json.Nodes;
using ScienceOfDL.Ccs.Data;
using ScienceOfDL.Ccs.Experiments;
using ScienceOfDL.Ccs.Probing;
using ScienceOfDL.LanguageModels;
using ScienceOfDL.Notebooks;
using ScienceOfDL.Results;

namespace ScienceOfDL.Tests;

/// <summary>
/// Notebook 01's default representation, read from the committed full-mode study: the CSV the notebook reads holds
/// validation and test accuracy, the default in 01's parameters cell is the setting the stated rule picks on
/// validation data (so no test label chose it), and notebooks 02 and 03 use the same five values.
/// </summary>
public class CcsCommittedResultsTests
{
    static readonly string Root = Repository.Root();

    /// <summary>A notebook's parameters as name → initializer (string literals unquoted).</summary>
    internal static Dictionary<string, string> Parameters(string notebook)
    {
        var cells = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "notebooks", notebook + ".ipynb")))!["cells"]!
            .AsArray()
            .Where(c => c!["cell_type"]!.GetValue<string>() == "code")
            .ToList();
        var source = string.Concat(cells[1]!["source"]!.AsArray().Select(l => l!.GetValue<string>()));
        return NotebookParameters.Parse(source).ToDictionary(p => p.Name, p => p.Initializer.Trim('"'));
    }

    static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>The committed study's path, from 01's parameters exactly as its cells build the key.</summary>
    internal static string StudyPath()
    {
        var p = Parameters("01-ccs");
        var options = CcsOptions.BurnsPaper with
        {
            Restarts = int.Parse(p["restarts"]),
            Epochs = int.Parse(p["epochs"]),
            LearningRate = D(p["ccsLearningRate"]),
            WeightDecay = D(p["ccsWeightDecay"]),
            Seed = int.Parse(p["seed"]),
        };
        var key = RepresentationStudy.Key(MiniLm.Name, int.Parse(p["splitSeed"]), options);
        return new ResultsStore(Path.Combine(Root, "data", "results")).PathOf(key, ".csv");
    }

    /// <summary>The whole-set settings of the committed study (rows of its whole-set jobs only).</summary>
    internal static List<RepresentationSummary> WholeSets()
    {
        var rows = CsvFile
            .Read<RepresentationRow>(StudyPath(), ResultsStore.JobColumn)
            .Where(r => JsonNode.Parse(r.Extra!)!["Slices"]!.GetValue<string>() == RepresentationJob.WholeSet)
            .Select(r => r.Row);
        return RepresentationStudy.WholeSets(RepresentationStudy.Summarize(rows));
    }

    [Fact]
    public void The_committed_study_holds_validation_and_test_accuracy_of_every_row()
    {
        var path = StudyPath();
        Assert.True(File.Exists(path), $"{path} is not committed: run ./run-notebooks.sh 01 (full mode)");
        var header = File.ReadLines(path).First().Split(',');
        Assert.Contains("ValidationAccuracy", header);
        Assert.Contains("TestAccuracy", header);
        Assert.Contains("ValidationPairs", header);
        var rows = CsvFile.Read<RepresentationRow>(path, ResultsStore.JobColumn).Select(r => r.Row).ToList();
        Assert.All(rows, r => Assert.InRange(r.ValidationAccuracy, 0, 1));
        Assert.All(rows, r => Assert.InRange(r.TestAccuracy, 0, 1));
        Assert.All(rows, r => Assert.True(r.ValidationPairs > 0 && r.TestPairs > 0));
    }

    [Fact]
    public void Notebook_01s_default_maximises_validation_accuracy_among_the_stated_candidates()
    {
        var p = Parameters("01-ccs");
        var whole = WholeSets();
        var burnsLike = Datasets.All.Select(d => d.Name).ToArray();
        var choice = RepresentationStudy.ChooseDefault(whole, burnsLike, D(p["selectionAim"]))[0];
        Assert.Equal(
            (
                p["defaultDataset"],
                p["defaultToken"],
                p["defaultScaling"],
                p["defaultCentring"],
                int.Parse(p["defaultLayer"])
            ),
            (
                choice.Dataset,
                choice.Token.ToString(),
                choice.Scaling.ToString(),
                choice.Centring.ToString(),
                choice.Layer
            )
        );
        // The rule, checked directly: the default's validation accuracy is the maximum over the candidates, the
        // Burns-like datasets' whole-set settings (one of them reaches the aim, so the rule stays among them).
        var candidates = whole.Where(s => burnsLike.Contains(s.Dataset)).ToList();
        Assert.True(candidates.Max(s => s.CcsValidation) >= D(p["selectionAim"]));
        var chosen = candidates.Single(s =>
            (s.Dataset, s.Token.ToString(), s.Scaling.ToString(), s.Centring.ToString(), s.Layer)
            == (
                p["defaultDataset"],
                p["defaultToken"],
                p["defaultScaling"],
                p["defaultCentring"],
                int.Parse(p["defaultLayer"])
            )
        );
        Assert.Equal(candidates.Max(s => s.CcsValidation), chosen.CcsValidation);
        Assert.Equal(choice.SettingsCompared, candidates.Count);
    }

    [Fact]
    public void Notebooks_02_and_03_read_at_01s_default()
    {
        var one = Parameters("01-ccs");
        var two = Parameters("02-banana-shed");
        var three = Parameters("03-ccs-as-pca");
        string[] defaults =
        [
            one["defaultDataset"],
            one["defaultToken"],
            one["defaultScaling"],
            one["defaultCentring"],
            one["defaultLayer"],
        ];
        Assert.Equal(
            defaults,
            new[] { two["dataset"], two["tokenPosition"], two["scaling"], two["centring"], two["layer"] }
        );
        Assert.Equal(
            defaults,
            new[]
            {
                three["focusDataset"],
                three["tokenPosition"],
                three["scaling"],
                three["centring"],
                three["focusLayer"],
            }
        );
        Assert.Equal(one["splitSeed"], two["splitSeed"]);
        Assert.Equal(one["splitSeed"], three["splitSeed"]);
    }
}
