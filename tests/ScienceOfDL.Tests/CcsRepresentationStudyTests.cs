using ScienceOfDL.Ccs.Data;
using ScienceOfDL.Ccs.Experiments;
using ScienceOfDL.Ccs.Probing;
using ScienceOfDL.LanguageModels;
using static TorchSharp.torch;
using Templates_ = ScienceOfDL.Ccs.Data.Templates;

namespace ScienceOfDL.Tests;

public class CcsRepresentationStudyTests : IDisposable
{
    // Tiny probes: one thread is much faster than two on a busy machine (see TinyGrokking).
    readonly int threads = get_num_threads();

    public CcsRepresentationStudyTests() => set_num_threads(1);

    public void Dispose() => set_num_threads(threads);

    /// <summary>400 planted pairs on 2 templates, read at two "token positions": at Answer the truth is planted (layers
    /// 1 and 2 alike), at First every layer is noise. Layer 0 is noise at both. Examples with even ids are subset
    /// "even".</summary>
    static (IReadOnlyDictionary<TokenPosition, PairActivations> Acts, IReadOnlyList<ContrastPair> Pairs) Planted()
    {
        const int n = 400,
            d = 24;
        var planted = PlantedData
            .Generate(
                new()
                {
                    Count = n,
                    Dim = d,
                    Templates = 2,
                    Seed = 5,
                }
            )
            .Pairs;
        using var g = Seeds.Generator(11);
        Tensor Noise() => randn(new long[] { n, d }, generator: g);
        // One question per two rows (its two templates), as ContrastPairs.Build makes them.
        var pairs = planted
            .Labels.Select(
                (l, i) =>
                    new ContrastPair(
                        $"q{i / 2}",
                        $"q{i} yes",
                        $"q{i} no",
                        l,
                        planted.Templates[i],
                        PositiveAnswer: new($"q{i}".Length, 4),
                        NegativeAnswer: new($"q{i}".Length, 3)
                    )
            )
            .ToList();
        var acts = new Dictionary<TokenPosition, PairActivations>
        {
            [TokenPosition.Answer] = new(
                pairs,
                stack([Noise(), planted.Pos, planted.Pos], 1),
                stack([Noise(), planted.Neg, planted.Neg], 1)
            ),
            [TokenPosition.First] = new(
                pairs,
                stack([Noise(), Noise(), Noise()], 1),
                stack([Noise(), Noise(), Noise()], 1)
            ),
        };
        return (acts, pairs);
    }

    static readonly PromptTemplate[] Templates =
    [
        new("planted", 0, "zero", _ => "", _ => (" yes", " no")),
        new("planted", 1, "one", _ => "", _ => (" yes", " no")),
    ];

    [Fact]
    public void Standard_slices_are_the_whole_set_each_subset_and_each_template()
    {
        var (_, pairs) = Planted();
        var slices = StudySlice.Standard(pairs, Templates, id => int.Parse(id[1..]) % 2 == 0 ? "even" : "odd");
        Assert.Equal(
            ["all / all", "even / all", "odd / all", "all / 0 zero", "all / 1 one"],
            slices.Select(s => s.ToString())
        );
        Assert.Equal(pairs.Count, pairs.Count(slices[0].Contains));
        Assert.Equal(pairs.Count, pairs.Count(slices[1].Contains) + pairs.Count(slices[2].Contains));
        Assert.All(pairs.Where(slices[4].Contains), p => Assert.Equal(1, p.Template));
        // One template: no template slices.
        Assert.Single(StudySlice.Standard(pairs.Where(p => p.Template == 0).ToList(), Templates));
    }

    [Fact]
    public void Each_dataset_has_its_difficulty_subsets()
    {
        string[] Names(Dataset d)
        {
            var examples = d.Load().Examples;
            var subsetOf = StudySlice.Subsets(d, examples)!;
            return examples.Select(e => subsetOf(e.Id)).Distinct().Order(StringComparer.Ordinal).ToArray();
        }
        Assert.Equal(
            ["style=long", "style=mixed", "style=plain", "style=sarcastic", "style=short"],
            Names(Datasets.MovieReviews)
        );
        Assert.Equal(["kind=city", "kind=number"], Names(Datasets.Facts));
        Assert.Equal(["length=long", "length=short"], Names(Datasets.Topics));
        Assert.Equal(["length=long", "length=short"], Names(Datasets.YesNoQuestions));
        Assert.Null(StudySlice.Subsets(Datasets.PolarStatements, Datasets.PolarStatements.Load().Examples));
        // Length halves are about even and really differ in length.
        var topics = Datasets.Topics.Load().Examples;
        var half = StudySlice.Subsets(Datasets.Topics, topics)!;
        var shortOnes = topics.Where(e => half(e.Id) == "length=short").ToList();
        Assert.InRange(shortOnes.Count, 0.3 * topics.Count, 0.6 * topics.Count);
        int Words(Example e) => e["text"].Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        Assert.True(shortOnes.Max(Words) < topics.Where(e => half(e.Id) == "length=long").Min(Words));
    }

    [Fact]
    public void Rows_cover_the_grid_and_ccs_finds_the_planted_token_only()
    {
        var (acts, pairs) = Planted();
        var slices = StudySlice.Standard(pairs, Templates, id => int.Parse(id[1..]) % 2 == 0 ? "even" : "odd");
        var grid = new RepresentationGrid([1, 2], [TokenPosition.Answer, TokenPosition.First], [Scaling.PerDimension]);
        var options = new CcsOptions { Restarts = 3, Epochs = 200 };
        var reports = new List<RepresentationProgress>();
        var rows = RepresentationStudy.Run(
            "planted",
            acts,
            slices,
            grid,
            options,
            splitSeed: 1,
            new SyncProgress<RepresentationProgress>(reports.Add)
        );

        // Per setting: 3 CCS restarts, PCA, LR, 3 random probes.
        var settings = rows.GroupBy(r => (r.Subset, r.Template, r.Layer, r.Token, r.Scaling)).ToList();
        Assert.Equal(slices.Count * grid.Count, settings.Count);
        Assert.Equal(slices.Count * grid.Count, reports.Count);
        Assert.Equal(reports.Count, reports[^1].Done);
        Assert.All(settings, g =>
        {
            Assert.Equal(3, g.Count(r => r.Method == MethodNames.Ccs));
            Assert.Single(g, r => r.Method == MethodNames.Ccs && r.IsChosen);
            var ccs = g.Where(r => r.Method == MethodNames.Ccs).ToList();
            Assert.Equal(ccs.Min(r => r.TrainLoss), ccs.Single(r => r.IsChosen).TrainLoss);
            Assert.Single(g, r => r.Method == MethodNames.Pca);
            Assert.Single(g, r => r.Method == MethodNames.LrPair);
            Assert.Equal(3, g.Count(r => r.Method == MethodNames.Random));
            Assert.All(g, r => Assert.InRange(r.TestAccuracy, 0, 1));
            // Unsupervised methods are sign-disambiguated on validation, so never below one half there.
            Assert.All(g.Where(r => r.Method != MethodNames.LrPair), r => Assert.InRange(r.ValidationAccuracy, 0.5, 1));
        });
        Assert.All(rows.Where(r => r.Method == MethodNames.Ccs), r =>
            Assert.Equal(CcsLoss.BestConstant(), r.ConstantLoss, 12)
        );
        Assert.All(rows.Where(r => r.Method != MethodNames.Ccs), r => Assert.True(double.IsNaN(r.TrainLoss)));
        Assert.All(rows.Where(r => r.Method == MethodNames.Ccs), r => Assert.False(double.IsNaN(r.ValidationLoss)));

        // Slices split by question, 60/20/20: the whole set's three sides add up to every pair; the subsets to the
        // whole.
        var whole = rows.First(r => r.Subset == StudySlice.All && r.Template == StudySlice.All);
        Assert.Equal(pairs.Count, whole.TrainPairs + whole.ValidationPairs + whole.TestPairs);
        Assert.Equal((240, 80, 80), (whole.TrainPairs, whole.ValidationPairs, whole.TestPairs));
        int TrainOf(string subset) => rows.First(r => r.Subset == subset).TrainPairs;
        Assert.Equal(whole.TrainPairs, TrainOf("even") + TrainOf("odd"));

        var summary = RepresentationStudy.Summarize(rows);
        Assert.Equal(settings.Count, summary.Count);
        foreach (var s in summary.Where(s => s.Subset == StudySlice.All && s.Template == StudySlice.All))
        {
            if (s.Token == TokenPosition.Answer)
                Assert.True(s.Ccs >= 0.95 && s.Lr >= 0.95, $"{s}");
            else
                Assert.True(s.Ccs < 0.7, $"{s}");
            Assert.InRange(s.Ccs, s.CcsMin, s.CcsMax);
        }
        var wholeSet = RepresentationStudy.WholeSets(summary);
        // Without labels, the lowest CCS loss already points at the planted token.
        foreach (var rule in Enum.GetValues<SelectionRule>())
            Assert.Equal(TokenPosition.Answer, RepresentationStudy.Pick(wholeSet, rule).Token);
        // Per template at one setting: both templates, with their answers.
        var perTemplate = RepresentationStudy.PerTemplate(
            summary,
            pairs,
            Templates,
            TokenPosition.Answer,
            Scaling.PerDimension,
            1
        );
        Assert.Equal(["0 zero", "1 one"], perTemplate.Select(t => t.Template));
        Assert.All(perTemplate, t => Assert.Equal("\" yes\" / \" no\"", t.Answers));
    }

    static RepresentationSummary Setting(
        string dataset,
        int layer,
        double validation,
        double test,
        double validationLoss
    ) =>
        new(
            dataset,
            StudySlice.All,
            StudySlice.All,
            layer,
            TokenPosition.Answer,
            Scaling.PerHalf,
            Centring.PerHalf,
            validation,
            test,
            validationLoss / 2,
            validationLoss,
            double.NaN,
            0.2,
            test,
            test,
            test,
            0.5,
            0.5,
            0.9,
            0.9,
            0.5,
            600,
            200,
            200
        );

    [Fact]
    public void The_default_is_chosen_on_validation_with_the_label_free_and_oracle_picks_beside_it()
    {
        List<RepresentationSummary> whole =
        [
            Setting("a", 1, validation: 0.80, test: 0.70, validationLoss: 0.10),
            Setting("a", 2, validation: 0.75, test: 0.90, validationLoss: 0.05), // best on test: the oracle's pick
            Setting("b", 1, validation: 0.85, test: 0.84, validationLoss: 0.20), // best on validation
            Setting("b", 2, validation: 0.60, test: 0.60, validationLoss: 0.01), // lowest loss
            Setting("easy", 1, validation: 0.99, test: 0.99, validationLoss: 0.30),
        ];
        var choices = RepresentationStudy.ChooseDefault(whole, ["a", "b"]);
        var choice = choices[0];
        Assert.Equal(("b", 1, 4), (choice.Dataset, choice.Layer, choice.SettingsCompared));
        Assert.Equal(0.84, choice.CcsTest.Value, 10);
        Assert.Equal(200, choice.TestPairs);
        Assert.False(choices.Single(c => c.Rule.StartsWith("lowest validation") && c.Among != "b").UsesLabels);
        Assert.Equal(("b", 2), choices.Select(c => (c.Dataset, c.Layer)).ElementAt(1));
        Assert.Equal(("b", 2, 2), (choices[3].Dataset, choices[3].Layer, choices[3].SettingsCompared));
        Assert.Equal(("a", 2), (choices[^1].Dataset, choices[^1].Layer));
        Assert.True(choices[^1].UsesLabels);
        // None of the preferred datasets reaches the aim on validation: every dataset is a candidate.
        var fallback = RepresentationStudy.ChooseDefault(whole, ["a", "b"], aim: 0.9)[0];
        Assert.Equal(("easy", 5), (fallback.Dataset, fallback.SettingsCompared));
    }

    [Fact]
    public void A_missing_token_or_an_empty_slice_is_an_error()
    {
        var (acts, pairs) = Planted();
        var options = new CcsOptions { Restarts = 1, Epochs = 10 };
        var grid = new RepresentationGrid([1], [TokenPosition.Mean], [Scaling.None]);
        var all = new StudySlice("all", "all", _ => true);
        Assert.Throws<ArgumentException>(() => RepresentationStudy.Run("planted", acts, [all], grid, options));
        var empty = new StudySlice("none", "all", _ => false);
        grid = grid with { Tokens = [TokenPosition.First] };
        Assert.Throws<ArgumentException>(() => RepresentationStudy.Run("planted", acts, [empty], grid, options));
    }

    [Fact]
    public void Best_constant_probe_loss_is_one_fifth_for_both_confidence_terms()
    {
        Assert.Equal(0.2, CcsLoss.BestConstant(ConfidenceTerm.Burns), 6);
        Assert.Equal(0.2, CcsLoss.BestConstant(ConfidenceTerm.Symmetric), 6);
    }

    [Fact]
    public void A_job_studies_the_whole_set_or_every_other_slice()
    {
        var (_, pairs) = Planted();
        var standard = StudySlice.Standard(pairs, Templates, id => int.Parse(id[1..]) % 2 == 0 ? "even" : "odd");
        var grid = RepresentationGrid.Full(2);
        var whole = new RepresentationJob("d", "f", RepresentationJob.WholeSet, grid).Select(standard);
        var parts = new RepresentationJob("d", "f", RepresentationJob.Parts, grid).Select(standard);
        Assert.Equal(["all / all"], whole.Select(s => s.ToString()));
        Assert.Equal(standard.Skip(1).Select(s => s.ToString()), parts.Select(s => s.ToString()));
        var templates = new RepresentationJob("d", "f", RepresentationJob.TemplatesOnly, grid).Select(standard);
        Assert.Equal(["all / 0 zero", "all / 1 one"], templates.Select(s => s.ToString()));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RepresentationJob("d", "f", "x", grid).Select(standard));
    }

    [Fact]
    public void Instruction_prompts_wrap_the_same_question_and_answers()
    {
        var template = Templates_.MovieReviews[0];
        var example = Datasets.MovieReviews.Load().Examples[0];
        var prompts = Templates_.Instructions(template);
        Assert.Equal(["default", "professor", "literal"], prompts.Select(p => p.Name));
        Assert.Equal([0, 1, 2], prompts.Select(p => p.Id));
        Assert.Equal(template.Render(example, true), prompts[0].Render(example, true));
        foreach (var p in prompts.Skip(1))
        {
            Assert.EndsWith(template.Render(example, false), p.Render(example, false));
            Assert.NotEqual(template.Stem(example), p.Stem(example));
            Assert.Equal(template.Answers(example), p.Answers(example));
        }
        Assert.Contains("Professor Smith", prompts[1].Stem(example));
        Assert.DoesNotContain("Professor", prompts[2].Stem(example));
    }

    sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
