using ScienceOfDL.Ccs.Data;

namespace ScienceOfDL.Tests;

/// <summary>Templates put the answer at the end; contrast pairs are deterministic per seed; distractors are balanced,
/// recorded in tags and identical on both halves of a pair.</summary>
public class CcsContrastPairsTests
{
    static Example Ex(string id, int label, params (string Key, string Value)[] fields) =>
        new(id, label, fields.ToDictionary(f => f.Key, f => f.Value));

    /// <summary>Small synthetic sets in each dataset's field layout (the real review and question files live
    /// elsewhere).</summary>
    static IReadOnlyList<Example> Reviews(int n = 40) =>
        Enumerable
            .Range(0, n)
            .Select(i =>
                Ex(
                    $"mr-{i:D4}",
                    i % 2,
                    ("text", $"Film {i} was {(i % 2 == 1 ? "great" : "dull")}."),
                    ("style", "plain")
                )
            )
            .ToList();

    static IReadOnlyList<Example> Questions(int n = 20) =>
        Enumerable
            .Range(0, n)
            .Select(i => Ex($"yn-{i:D4}", i % 2, ("passage", $"Passage {i}."), ("question", $"is {i} even?")))
            .ToList();

    public static TheoryData<string> DatasetNames => new(Datasets.All.Select(d => d.Name));

    static IReadOnlyList<Example> SampleOf(string dataset) =>
        dataset switch
        {
            "movie-reviews" => Reviews(),
            "yes-no-questions" => Questions(),
            _ => Datasets.ByName(dataset).Load().Examples.Take(30).ToList(),
        };

    [Theory]
    [MemberData(nameof(DatasetNames))]
    public void Every_template_renders_the_two_answers_at_the_very_end_after_the_same_stem(string dataset)
    {
        var templates = Datasets.ByName(dataset).Templates;
        Assert.True(templates.Count >= 3);
        Assert.Equal(Enumerable.Range(0, templates.Count), templates.Select(t => t.Id));
        foreach (var t in templates)
        foreach (var e in SampleOf(dataset))
        {
            var (first, second) = t.Answers(e);
            Assert.NotEqual(first, second);
            Assert.StartsWith(" ", first);
            var stem = t.Stem(e);
            Assert.Equal(stem + first, t.Render(e, firstAnswer: true));
            Assert.Equal(stem + second, t.Render(e, firstAnswer: false));
            Assert.Equal(e.Label == 1 ? stem + first : stem + second, t.RenderCorrect(e));
            Assert.DoesNotContain("{", stem); // no unfilled placeholders
        }
    }

    [Fact]
    public void Templates_read_as_intended()
    {
        var review = Ex("mr-1", 1, ("text", "Loved it."), ("style", "plain"));
        Assert.Equal(
            "Loved it.\nThe sentiment of this review is positive",
            Templates.MovieReviews[0].Render(review, true)
        );
        var q = Ex("yn-1", 0, ("passage", "Ice is cold."), ("question", "is ice hot?"));
        Assert.Equal("Ice is cold.\nQuestion: is ice hot?\nAnswer: no", Templates.YesNoQuestions[0].Render(q, false));
        var topic = Ex(
            "tp-1",
            0,
            ("text", "A bank."),
            ("topic", "Company"),
            ("choice_a", "plant"),
            ("choice_b", "company")
        );
        Assert.Equal(
            "A bank.\nIs this about plant or company?\nAnswer: company",
            Templates.Topics[0].Render(topic, false)
        );
        var fact = Ex("city-1", 1, ("statement", "Lyon is a city in France."));
        Assert.Equal("Lyon is a city in France. True or false? True", Templates.Facts[0].Render(fact, true));
        Assert.Equal("educational institution", TopicNames.Readable("EducationalInstitution"));
        Assert.Equal("means of transportation", TopicNames.Readable("MeanOfTransportation"));
    }

    [Fact]
    public void Pairs_hold_both_answers_the_label_template_and_id()
    {
        var examples = Reviews(10);
        var pairs = ContrastPairs.Build(examples, Templates.MovieReviews[1], seed: 0);
        Assert.Equal(10, pairs.Count);
        foreach (var p in pairs)
        {
            var e = examples.Single(x => x.Id == p.Id);
            Assert.Equal(e.Label, p.Label);
            Assert.Equal(1, p.Template);
            Assert.Equal(Templates.MovieReviews[1].Render(e, true), p.Positive);
            Assert.Equal(Templates.MovieReviews[1].Render(e, false), p.Negative);
            Assert.Null(p.Tags);
        }
    }

    [Fact]
    public void Pairs_are_deterministic_per_seed_and_the_seed_matters()
    {
        var examples = Reviews(40);
        var a = ContrastPairs.Build(
            examples,
            Templates.MovieReviews[0],
            seed: 5,
            take: 20,
            shots: 2,
            distractor: Distractors.RandomWords()
        );
        var b = ContrastPairs.Build(
            examples,
            Templates.MovieReviews[0],
            seed: 5,
            take: 20,
            shots: 2,
            distractor: Distractors.RandomWords()
        );
        var c = ContrastPairs.Build(
            examples,
            Templates.MovieReviews[0],
            seed: 6,
            take: 20,
            shots: 2,
            distractor: Distractors.RandomWords()
        );
        static string Key(IEnumerable<ContrastPair> ps) =>
            string.Join("|", ps.Select(p => $"{p.Id}/{p.Positive}/{p.Negative}/{p.Tag("banana")}"));
        Assert.Equal(Key(a), Key(b));
        Assert.NotEqual(Key(a), Key(c));
    }

    [Fact]
    public void A_subsample_is_label_balanced_and_every_template_gets_the_same_examples()
    {
        var examples = Reviews(40);
        var pairs = ContrastPairs.Build(examples, Templates.MovieReviews, seed: 1, take: 16);
        Assert.Equal(16 * Templates.MovieReviews.Count, pairs.Count);
        var byTemplate = pairs.GroupBy(p => p.Template).ToList();
        Assert.Equal(Templates.MovieReviews.Count, byTemplate.Count);
        foreach (var g in byTemplate)
        {
            Assert.Equal(8, g.Count(p => p.Label == 1));
            Assert.Equal(byTemplate[0].Select(p => p.Id), g.Select(p => p.Id));
        }
    }

    [Fact]
    public void Few_shot_demonstrations_are_balanced_answered_correctly_and_left_out_of_the_questions()
    {
        var examples = Reviews(20);
        var t = Templates.MovieReviews[0];
        var pairs = ContrastPairs.Build(examples, t, seed: 2, shots: 4);
        Assert.Equal(16, pairs.Count);
        var asked = pairs.Select(p => p.Id).ToHashSet();
        var demos = examples.Where(e => !asked.Contains(e.Id)).ToList();
        Assert.Equal(2, demos.Count(e => e.Label == 1));
        var prefix = pairs[0].Positive[
            ..(pairs[0].Positive.Length - t.Render(examples.Single(e => e.Id == pairs[0].Id), true).Length)
        ];
        foreach (var d in demos)
            Assert.Contains(t.RenderCorrect(d) + "\n\n", prefix);
        Assert.All(pairs, p => Assert.StartsWith(prefix, p.Positive));
        Assert.All(pairs, p => Assert.StartsWith(prefix, p.Negative));
    }

    [Fact]
    public void Random_words_go_on_both_halves_of_half_the_pairs_independent_of_the_label()
    {
        var examples = Reviews(40);
        var t = Templates.MovieReviews[0];
        var pairs = ContrastPairs.Build(examples, t, seed: 3, distractor: Distractors.RandomWords());
        foreach (var p in pairs)
        {
            var word = p.Tag("banana") == 1 ? ". Banana" : ". Shed";
            Assert.EndsWith(" positive" + word, p.Positive);
            Assert.EndsWith(" negative" + word, p.Negative);
            Assert.Equal(p.Positive[..^(" positive" + word).Length], p.Negative[..^(" negative" + word).Length]);
        }
        Assert.Equal(20, pairs.Count(p => p.Tag("banana") == 1));
        foreach (var label in new[] { 0, 1 })
            Assert.Equal(10, pairs.Count(p => p.Label == label && p.Tag("banana") == 1));
        // The custom words of the brief's wording work too.
        var custom = ContrastPairs.Build(examples, t, seed: 3, distractor: Distractors.RandomWords(" Banana", " Shed"));
        Assert.All(custom, p =>
            Assert.EndsWith(p.Tag("banana") == 1 ? "positive Banana" : "positive Shed", p.Positive)
        );
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    public void Alice_states_her_recorded_opinion_the_asked_number_of_times(int mentions)
    {
        var examples = Reviews(40);
        var pairs = ContrastPairs.Build(
            examples,
            Templates.MovieReviews[0],
            seed: 4,
            distractor: Distractors.AliceOpinion(mentions)
        );
        foreach (var p in pairs)
        {
            var opinion = p.Tag("alice") == 1 ? "positive" : "negative";
            var other = p.Tag("alice") == 1 ? "negative" : "positive";
            Assert.Equal(mentions, Count(p.Positive, $"Alice thinks it is {opinion}."));
            Assert.Equal(0, Count(p.Positive, $"Alice thinks it is {other}."));
            Assert.StartsWith("Alice is an expert", p.Positive);
            Assert.EndsWith("I think it is positive", p.Positive);
            Assert.EndsWith("I think it is negative", p.Negative);
            Assert.Equal(p.Positive[..^" positive".Length], p.Negative[..^" negative".Length]);
        }
        foreach (var label in new[] { 0, 1 })
            Assert.Equal(10, pairs.Count(p => p.Label == label && p.Tag("alice") == 1));
    }

    static int Count(string text, string part) => (text.Length - text.Replace(part, "").Length) / part.Length;

    [Fact]
    public void Company_alice_answers_wrongly_on_companies_in_her_demonstrations_and_tags_say_so()
    {
        var topics = Datasets.Topics.Load().Examples;
        static object CompanyAndLabel(Example e) => (e["topic"] == TopicNames.Company, e.Label);
        var set = Sampling.Balanced(topics, 120, seed: 0, key: CompanyAndLabel); // half company, as in Farquhar §4.3
        var t = Templates.Topics[0];
        var pairs = ContrastPairs.Build(set, t, seed: 5, distractor: Distractors.CompanyAlice(shots: 4));
        Assert.Equal(116, pairs.Count);
        var asked = pairs.Select(p => p.Id).ToHashSet();
        var demos = set.Where(e => !asked.Contains(e.Id)).ToList();
        Assert.Equal(4, demos.Select(CompanyAndLabel).Distinct().Count()); // one per company × label
        var prompt = pairs[0].Positive;
        foreach (var d in demos)
        {
            var aliceRight = d["topic"] != TopicNames.Company;
            Assert.Contains(t.Render(d, aliceRight ? d.Label == 1 : d.Label == 0) + "\n\n", prompt);
        }
        foreach (var p in pairs)
        {
            var e = set.Single(x => x.Id == p.Id);
            Assert.Equal(e["topic"] == TopicNames.Company ? 1 : 0, p.Tag("company"));
            Assert.Equal(p.Tag("company") == 1 ? 1 - p.Label : p.Label, p.Tag("alice"));
            Assert.StartsWith("Alice answers questions", p.Positive);
            Assert.EndsWith(t.Render(e, true), p.Positive);
            Assert.EndsWith(t.Render(e, false), p.Negative);
        }
        Assert.InRange(pairs.Count(p => p.Tag("company") == 1), 56, 60);
    }

    [Fact]
    public void Balanced_sampling_refuses_groups_that_are_too_small()
    {
        var examples = Reviews(10);
        var oneNegative = examples.Where(e => e.Label == 1 || e.Id == "mr-0000").ToList();
        Assert.Throws<ArgumentException>(() => Sampling.Balanced(oneNegative, 6, seed: 0));
    }
}
