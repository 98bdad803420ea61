namespace ScienceOfDL.Ccs.Data;

/// <summary>A CCS dataset: where its file is, how to load and check it, and its prompt templates.</summary>
public sealed record Dataset(
    string Name,
    string FileName,
    IReadOnlyList<PromptTemplate> Templates,
    Func<string, int, DatasetLoad> LoadFile
)
{
    public string DefaultPath => Path.Combine(Repository.DataDir, "ccs", FileName);

    /// <summary>Loads data/ccs/FileName. <paramref name="seed"/> only matters for sets whose questions are generated
    /// (topics: the other topic offered and the order; facts: the false countries and the numbers).</summary>
    public DatasetLoad Load(int seed = 0) => LoadFile(DefaultPath, seed);
}

/// <summary>The four CCS datasets of this project (issue 6), so a notebook can loop over them:
/// <c>foreach (var d in Datasets.All) { var data = d.Load().RequireClean(); ... ContrastPairs.Build(data.Examples,
/// d.Templates, seed) }</c>.</summary>
public static class Datasets
{
    public static readonly Dataset MovieReviews = new(
        "movie-reviews",
        "movie-reviews.jsonl",
        Templates.MovieReviews,
        (p, _) => DatasetFiles.LoadReviews(p)
    );
    public static readonly Dataset YesNoQuestions = new(
        "yes-no-questions",
        "yes-no-questions.jsonl",
        Templates.YesNoQuestions,
        (p, _) => DatasetFiles.LoadQuestions(p)
    );
    public static readonly Dataset Topics = new("topics", "topics.jsonl", Templates.Topics, (p, seed) =>
        DatasetFiles.LoadTopics(p, seed)
    );
    public static readonly Dataset Facts = new("facts", "cities.csv", Templates.Facts, (p, seed) =>
        DatasetFiles.LoadFacts(p, seed)
    );

    public static IReadOnlyList<Dataset> All { get; } = [MovieReviews, YesNoQuestions, Topics, Facts];

    /// <summary>Short, strongly polar statements: easy on purpose, to find where CCS works on a small model (issue 15).
    /// Not in <see cref="All"/>, which holds the four sets modelled on Burns et al.'s.</summary>
    public static readonly Dataset PolarStatements = new(
        "polar-statements",
        "polar-statements.jsonl",
        Templates.PolarStatements,
        (p, _) => DatasetFiles.LoadPolarStatements(p)
    );

    public static Dataset ByName(string name)
    {
        var known = All.Append(PolarStatements).ToList();
        return known.FirstOrDefault(d => d.Name == name)
            ?? throw new KeyNotFoundException(
                $"no CCS dataset '{name}'; known: {string.Join(", ", known.Select(d => d.Name))}"
            );
    }
}
