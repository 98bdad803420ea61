using ScienceOfDL.Ccs.Data;

namespace ScienceOfDL.Tests;

/// <summary>Loading validates: malformed lines, missing fields, unknown labels and duplicate ids are errors that name
/// the file and line; too-small or unbalanced sets come back as warnings. Runs on small temporary files in each
/// schema.</summary>
public class CcsLoaderValidationTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("sodl-ccs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    static string Review(int i, int label, string style = "plain") =>
        $$"""{"id": "mr-{{i:D4}}", "text": "Review number {{i}}.", "label": {{label}}, "style": "{{style}}"}""";

    [Fact]
    public void A_malformed_line_is_an_error_naming_the_file_and_the_line()
    {
        var path = Write(
            "movie-reviews.jsonl",
            Review(1, 1),
            "",
            """{"id": "mr-0002", "text": "oops", "label": 0""",
            Review(3, 0)
        );
        var e = Assert.Throws<DatasetFormatException>(() => DatasetFiles.LoadReviews(path));
        Assert.Equal(path, e.File);
        Assert.Equal(3, e.Line); // blank lines still count
        Assert.Contains(path, e.Message);
        Assert.Contains("line 3", e.Message);
    }

    [Theory]
    [InlineData("""{"id": "mr-0002", "label": 1, "style": "plain"}""", "missing field 'text'")]
    [InlineData("""{"id": "mr-0002", "text": "x", "style": "plain"}""", "missing field 'label'")]
    [InlineData("""{"id": "mr-0002", "text": "x", "label": 2, "style": "plain"}""", "unknown label 2")]
    [InlineData("""{"id": "mr-0002", "text": "x", "label": "1", "style": "plain"}""", "unknown label")]
    [InlineData("""{"id": "mr-0002", "text": "x", "label": 0.5, "style": "plain"}""", "unknown label")]
    [InlineData("""{"id": "mr-0002", "text": "  ", "label": 1, "style": "plain"}""", "field 'text' is empty")]
    [InlineData(
        """{"id": "mr-0001", "text": "x", "label": 1, "style": "plain"}""",
        "duplicate id 'mr-0001' (first used on line 1)"
    )]
    [InlineData("""["mr-0002", "x", 1]""", "one JSON object per line")]
    public void Bad_rows_are_errors_on_their_line(string badLine, string expected)
    {
        var path = Write("movie-reviews.jsonl", Review(1, 1), badLine);
        var e = Assert.Throws<DatasetFormatException>(() => DatasetFiles.LoadReviews(path));
        Assert.Equal(2, e.Line);
        Assert.Contains(expected, e.Problem);
    }

    [Fact]
    public void Small_or_unbalanced_sets_are_reported_not_accepted_silently()
    {
        var path = Write(
            "movie-reviews.jsonl",
            Enumerable.Range(1, 10).Select(i => Review(i, i <= 8 ? 1 : 0, i == 5 ? "poetic" : "plain")).ToArray()
        );
        var load = DatasetFiles.LoadReviews(path);
        Assert.Equal(10, load.Count);
        Assert.False(load.IsClean);
        Assert.Contains(load.Warnings, w => w.StartsWith("too small: 10 examples, at least 600"));
        Assert.Contains(load.Warnings, w => w.StartsWith("unbalanced labels: 8 of 10"));
        Assert.Contains(load.Warnings, w => w.Contains("unknown style 'poetic'"));
        var e = Assert.Throws<InvalidDataException>(() => load.RequireClean());
        Assert.Contains("too small", e.Message);
    }

    [Fact]
    public void A_balanced_set_of_the_minimum_size_is_clean()
    {
        var path = Write("movie-reviews.jsonl", Enumerable.Range(1, 20).Select(i => Review(i, i % 2)).ToArray());
        var load = DatasetFiles.LoadReviews(path, minimumSize: 20);
        Assert.True(load.IsClean, string.Join("; ", load.Warnings));
        Assert.Equal("Review number 4.", load.Examples[3]["text"]);
        Assert.Equal(0, load.Examples[3].Label);
    }

    [Fact]
    public void Questions_load_in_their_schema()
    {
        var path = Write(
            "yes-no-questions.jsonl",
            """{"id": "yn-0001", "passage": "Cats are mammals.", "question": "are cats mammals", "label": 1}""",
            """{"id": "yn-0002", "passage": "Fish live in water.", "question": "do fish live in trees?", "label": 0}"""
        );
        var load = DatasetFiles.LoadQuestions(path, minimumSize: 2);
        Assert.True(load.IsClean, string.Join("; ", load.Warnings));
        Assert.Equal("do fish live in trees?", load.Examples[1]["question"]);
        var small = DatasetFiles.LoadQuestions(path);
        Assert.Contains(small.Warnings, w => w.StartsWith("too small: 2 examples, at least 400"));
        var bad = Write("bad.jsonl", """{"id": "yn-0001", "passage": "p", "label": 1}""");
        Assert.Contains(
            "missing field 'question'",
            Assert.Throws<DatasetFormatException>(() => DatasetFiles.LoadQuestions(bad)).Problem
        );
    }

    [Fact]
    public void Topic_sets_with_too_few_topics_or_no_company_are_reported()
    {
        var lines = Enumerable
            .Range(1, 12)
            .Select(i =>
                $$"""{"id": "tp-{{i:D4}}", "text": "Thing {{i}}.", "topic": "{{(i % 3 == 0 ? "Animal" : i % 3 == 1 ? "Plant" : "Building")}}"}"""
            );
        var load = DatasetFiles.LoadTopics(Write("topics.jsonl", lines.ToArray()), seed: 0, minimumSize: 12);
        Assert.Contains(load.Warnings, w => w.StartsWith("too few topics: 3"));
        Assert.Contains(load.Warnings, w => w.StartsWith("no 'Company' topic"));
        Assert.DoesNotContain(load.Warnings, w => w.StartsWith("unbalanced"));
        Assert.Equal(6, load.Examples.Count(e => e.Label == 1));
    }

    [Fact]
    public void The_city_table_is_validated_with_line_numbers()
    {
        Assert.Equal(
            1,
            Assert
                .Throws<DatasetFormatException>(() =>
                    FactStatements.ReadCities(Write("c1.csv", "town,nation", "Paris,France"))
                )
                .Line
        );
        var e = Assert.Throws<DatasetFormatException>(() =>
            FactStatements.ReadCities(Write("c2.csv", "city,country", "Paris,France", "Lyon,France,Europe"))
        );
        Assert.Equal(3, e.Line);
        e = Assert.Throws<DatasetFormatException>(() =>
            FactStatements.ReadCities(Write("c3.csv", "city,country", "Paris,France", "Rome,Italy", "paris,France"))
        );
        Assert.Equal(4, e.Line);
        Assert.Contains("first on line 2", e.Problem);
        var load = DatasetFiles.LoadFacts(
            Write("c4.csv", "city,country", "Paris,France", "Rome,Italy"),
            numberComparisons: 4
        );
        Assert.Contains(load.Warnings, w => w.StartsWith("too few cities: 2"));
    }

    [Fact]
    public void A_missing_file_says_which()
    {
        var missing = Path.Combine(_dir, "nope.jsonl");
        Assert.Contains(
            missing,
            Assert.Throws<FileNotFoundException>(() => DatasetFiles.LoadQuestions(missing)).Message
        );
    }
}
