using ScienceOfDL.Ccs.Data;

namespace ScienceOfDL.Tests;

/// <summary>The real data files under data/ccs/: each loads, passes its size and balance checks, and holds what its
/// README promises. movie-reviews.jsonl and yes-no-questions.jsonl come from another branch; these tests fail until
/// they exist.</summary>
public class CcsDataFilesTests
{
    public static TheoryData<string> DatasetNames =>
        new(Datasets.All.Append(Datasets.PolarStatements).Select(d => d.Name));

    [Theory]
    [MemberData(nameof(DatasetNames))]
    public void Every_dataset_file_loads_and_is_balanced_and_large_enough(string name)
    {
        var dataset = Datasets.ByName(name);
        Assert.True(File.Exists(dataset.DefaultPath), $"missing data file {dataset.DefaultPath}");
        var load = dataset.Load();
        Assert.True(load.IsClean, $"{name}: " + string.Join("; ", load.Warnings));
        Assert.InRange(load.FractionLabelOne, 0.45, 0.55);
        Assert.True(dataset.Templates.Count >= 3);
    }

    [Fact]
    public void Topics_cover_at_least_eight_topics_including_company_roughly_evenly()
    {
        var load = Datasets.Topics.Load();
        Assert.True(load.Count >= 640, $"{load.Count} topic descriptions");
        var perTopic = load.Examples.GroupBy(e => e["topic"]).ToDictionary(g => g.Key, g => g.ToList());
        Assert.True(perTopic.Count >= 8);
        Assert.Contains(TopicNames.Company, perTopic.Keys);
        foreach (var (topic, examples) in perTopic)
        {
            Assert.InRange(examples.Count, 0.75 * load.Count / perTopic.Count, 1.25 * load.Count / perTopic.Count);
            // Labels are balanced inside every topic too, so "company" says nothing about which choice is right.
            Assert.InRange(examples.Count(e => e.Label == 1) - examples.Count(e => e.Label == 0), -1, 1);
        }
    }

    [Fact]
    public void Topic_choices_pair_the_true_topic_with_another_and_follow_the_seed()
    {
        var a = Datasets.Topics.Load(seed: 1).Examples;
        foreach (var e in a)
        {
            var truth = TopicNames.Readable(e["topic"]);
            Assert.Equal(e.Label == 1 ? truth : e["choice_b"], e.Label == 1 ? e["choice_a"] : truth);
            Assert.NotEqual(e["choice_a"], e["choice_b"]);
        }
        var again = Datasets.Topics.Load(seed: 1).Examples;
        var other = Datasets.Topics.Load(seed: 2).Examples;
        Assert.Equal(
            a.Select(e => (e.Id, e.Label, e["choice_a"], e["choice_b"])),
            again.Select(e => (e.Id, e.Label, e["choice_a"], e["choice_b"]))
        );
        Assert.NotEqual(a.Select(e => e["choice_a"] + e["choice_b"]), other.Select(e => e["choice_a"] + e["choice_b"]));
        Assert.Equal(a.Select(e => e.Id), other.Select(e => e.Id)); // the seed changes the questions, not the order
    }

    [Fact]
    public void Fact_statements_are_true_exactly_when_labelled_true()
    {
        var load = Datasets.Facts.Load(seed: 3);
        var cities = load.Examples.Where(e => e["kind"] == "city").ToList();
        var numbers = load.Examples.Where(e => e["kind"] == "number").ToList();
        Assert.True(cities.Count >= 300);
        Assert.InRange(cities.Count(e => e.Label == 1) - cities.Count(e => e.Label == 0), 0, 1);
        Assert.InRange(numbers.Count(e => e.Label == 1) - numbers.Count(e => e.Label == 0), 0, 1);
        foreach (var e in cities)
        {
            Assert.Equal(e.Label == 1, e["country"] == e["true_country"]);
            Assert.StartsWith(e["city"] + " is a city in ", e["statement"]);
            Assert.EndsWith(e["country"] + ".", e["statement"]);
        }
        foreach (var e in numbers)
        {
            var words = e["statement"].TrimEnd('.').Split(' '); // "47 is greater than 12"
            int a = int.Parse(words[0]),
                b = int.Parse(words[4]);
            Assert.Equal(e.Label == 1, words[2] == "greater" ? a > b : a < b);
        }
        var sameSeed = Datasets.Facts.Load(seed: 3).Examples.Select(e => e["statement"]);
        var otherSeed = Datasets.Facts.Load(seed: 4).Examples.Select(e => e["statement"]);
        Assert.Equal(load.Examples.Select(e => e["statement"]), sameSeed);
        Assert.NotEqual(load.Examples.Select(e => e["statement"]), otherSeed);
    }

    [Fact]
    public void Polar_statements_are_short_mirrored_and_balanced_within_every_topic()
    {
        var load = Datasets.PolarStatements.Load();
        Assert.Equal(480, load.Count);
        Assert.All(load.Examples, e => Assert.InRange(e["text"].Split(' ').Length, 3, 12));
        var topics = load.Examples.GroupBy(e => e["topic"]).ToList();
        Assert.Equal(12, topics.Count);
        Assert.All(topics, g => Assert.Equal(g.Count(e => e.Label == 1), g.Count(e => e.Label == 0)));
        // Nearly every statement has a mirror in its topic: one of the other label sharing at least half its words, so
        // the subject says nothing about the label.
        HashSet<string> Words(Example e) =>
            e["text"].ToLowerInvariant().Split(' ').Select(w => w.Trim('.', ',', '!')).ToHashSet();
        var mirrored = load.Examples.Count(e =>
            load.Examples.Any(o =>
                o.Label != e.Label
                && o["topic"] == e["topic"]
                && 2 * Words(e).Intersect(Words(o)).Count() >= Words(e).Count
            )
        );
        Assert.True(mirrored >= 0.97 * load.Count, $"{mirrored} of {load.Count} statements have a mirror");
        Assert.Equal(load.Count, load.Examples.Select(e => e["text"]).Distinct().Count());
        // A loader check that can fail: a file with one topic's labels skewed is reported.
        var path = Path.Combine(Directory.CreateTempSubdirectory("sodl-polar-").FullName, "p.jsonl");
        string SkewFood(string line) =>
            line.Contains("\"topic\": \"food\"") ? line.Replace("\"label\": 0", "\"label\": 1") : line;
        File.WriteAllLines(path, File.ReadAllLines(load.Path).Select(SkewFood));
        Assert.Contains(DatasetFiles.LoadPolarStatements(path).Warnings, w => w.Contains("'food'"));
    }

    [Fact]
    public void The_city_table_names_each_city_once_with_one_country()
    {
        var cities = FactStatements.ReadCities(Datasets.Facts.DefaultPath);
        Assert.Equal(cities.Count, cities.Select(c => c.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.True(cities.Select(c => c.Country).Distinct().Count() >= 50);
    }
}
