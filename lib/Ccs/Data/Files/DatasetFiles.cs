using System.Text.Json;

namespace ScienceOfDL.Ccs.Data;

/// <summary>Readers for the CCS data files under data/ccs/. Each validates as it reads: a malformed line, a missing
/// field, an unknown label or a duplicate id throws <see cref="DatasetFormatException"/> naming the file and line; size
/// and balance problems come back as warnings in the <see cref="DatasetLoad"/>.</summary>
public static class DatasetFiles
{
    public static readonly IReadOnlySet<string> ReviewStyles = new HashSet<string>
    {
        "plain",
        "mixed",
        "sarcastic",
        "short",
        "long",
    };

    /// <summary>movie-reviews.jsonl: {"id", "text", "label" (1 = positive), "style"}.</summary>
    public static DatasetLoad LoadReviews(string path, int minimumSize = 600)
    {
        var examples = ReadJsonLines(path, (row, line) =>
            new Example(
                Text(row, "id", path, line),
                Label(row, path, line),
                new Dictionary<string, string>
                {
                    ["text"] = Text(row, "text", path, line),
                    ["style"] = Text(row, "style", path, line),
                }
            )
        );
        var warnings = DatasetChecks.SizeAndBalance(examples, minimumSize);
        foreach (
            var style in examples
                .Select(e => e["style"])
                .Distinct()
                .Where(s => !ReviewStyles.Contains(s))
                .Order(StringComparer.Ordinal)
        )
            warnings.Add($"unknown style '{style}' (expected one of {string.Join(", ", ReviewStyles)})");
        return new DatasetLoad("movie-reviews", path, examples, warnings);
    }

    /// <summary>polar-statements.jsonl: {"id", "text", "label" (1 = positive), "topic"}: short, strongly polar
    /// statements, easy on purpose (see its README).</summary>
    public static DatasetLoad LoadPolarStatements(string path, int minimumSize = 400)
    {
        var examples = ReadJsonLines(path, (row, line) =>
            new Example(
                Text(row, "id", path, line),
                Label(row, path, line),
                new Dictionary<string, string>
                {
                    ["text"] = Text(row, "text", path, line),
                    ["topic"] = Text(row, "topic", path, line),
                }
            )
        );
        var warnings = DatasetChecks.SizeAndBalance(examples, minimumSize);
        warnings.AddRange(DatasetChecks.GroupBalance(examples, "topic"));
        foreach (var topic in examples.GroupBy(e => e["topic"]).Where(g => g.Count(e => e.Label == 1) * 2 != g.Count()))
            warnings.Add($"unbalanced labels within topic '{topic.Key}'");
        return new DatasetLoad("polar-statements", path, examples, warnings);
    }

    /// <summary>yes-no-questions.jsonl: {"id", "passage", "question", "label" (1 = yes)}.</summary>
    public static DatasetLoad LoadQuestions(string path, int minimumSize = 400)
    {
        var examples = ReadJsonLines(path, (row, line) =>
            new Example(
                Text(row, "id", path, line),
                Label(row, path, line),
                new Dictionary<string, string>
                {
                    ["passage"] = Text(row, "passage", path, line),
                    ["question"] = Text(row, "question", path, line),
                }
            )
        );
        return new DatasetLoad("yes-no-questions", path, examples, DatasetChecks.SizeAndBalance(examples, minimumSize));
    }

    /// <summary>topics.jsonl: {"id", "text", "topic"}. Each description becomes a binary question as in Burns et al.:
    /// its true topic against one other topic drawn with <paramref name="seed"/>. Which of the two is offered first
    /// (choice A, label 1) alternates over a seeded shuffle of each topic, so labels are balanced overall and within
    /// every topic.</summary>
    public static DatasetLoad LoadTopics(string path, int seed = 0, int minimumSize = 600, int minimumTopics = 8)
    {
        var rows = ReadJsonLines(path, (row, line) =>
            (
                Id: Text(row, "id", path, line),
                Text: Text(row, "text", path, line),
                Topic: Text(row, "topic", path, line)
            )
        );
        var topics = rows.Select(r => r.Topic).Distinct().Order(StringComparer.Ordinal).ToArray();
        var rng = new Random(seed);
        var examples = new List<Example>(rows.Count);
        var next = 0;
        foreach (var topic in topics)
        {
            var group = rows.Where(r => r.Topic == topic).ToArray();
            rng.Shuffle(group);
            foreach (var r in group)
            {
                var others = topics.Where(t => t != topic).ToArray();
                var other = others.Length == 0 ? topic : others[rng.Next(others.Length)];
                var label = next++ % 2 == 0 ? 1 : 0;
                var (a, b) = label == 1 ? (topic, other) : (other, topic);
                examples.Add(
                    new Example(
                        r.Id,
                        label,
                        new Dictionary<string, string>
                        {
                            ["text"] = r.Text,
                            ["topic"] = topic,
                            ["choice_a"] = TopicNames.Readable(a),
                            ["choice_b"] = TopicNames.Readable(b),
                        }
                    )
                );
            }
        }
        // Back to file order, so the seed only changes the choices, not where an example sits.
        var order = rows.Select((r, i) => (r.Id, i)).ToDictionary(p => p.Id, p => p.i);
        examples.Sort((x, y) => order[x.Id].CompareTo(order[y.Id]));

        var warnings = DatasetChecks.SizeAndBalance(examples, minimumSize);
        if (topics.Length < minimumTopics)
            warnings.Add($"too few topics: {topics.Length}, at least {minimumTopics} expected");
        if (!topics.Contains(TopicNames.Company))
            warnings.Add($"no '{TopicNames.Company}' topic (notebook 02 needs it)");
        warnings.AddRange(DatasetChecks.GroupBalance(examples, "topic"));
        return new DatasetLoad("topics", path, examples, warnings);
    }

    /// <summary>The true/false statements: one per row of cities.csv (true country or a seeded other country, half
    /// each) plus <paramref name="numberComparisons"/> generated comparisons of two numbers. See <see
    /// cref="FactStatements"/>.</summary>
    public static DatasetLoad LoadFacts(
        string citiesCsvPath,
        int seed = 0,
        int numberComparisons = 300,
        int minimumCities = 300
    )
    {
        var cities = FactStatements.ReadCities(citiesCsvPath);
        var examples = FactStatements
            .FromCities(cities, seed)
            .Concat(FactStatements.NumberComparisons(numberComparisons, seed))
            .ToList();
        var warnings = DatasetChecks.SizeAndBalance(examples, minimumCities + numberComparisons);
        if (cities.Count < minimumCities)
            warnings.Add($"too few cities: {cities.Count}, at least {minimumCities} expected");
        return new DatasetLoad("facts", citiesCsvPath, examples, warnings);
    }

    /// <summary>Reads a JSON-lines file: one object per non-blank line; ids must be unique.</summary>
    public static List<T> ReadJsonLines<T>(string path, Func<JsonElement, int, T> parse)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"CCS data file not found: {path}", path);
        var result = new List<T>();
        var seenIds = new Dictionary<string, int>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(line);
            }
            catch (JsonException e)
            {
                throw new DatasetFormatException(path, lineNumber, $"not valid JSON ({e.Message})");
            }
            using (doc)
            {
                var row = doc.RootElement;
                if (row.ValueKind != JsonValueKind.Object)
                    throw new DatasetFormatException(path, lineNumber, "expected one JSON object per line");
                var id = Text(row, "id", path, lineNumber);
                if (seenIds.TryGetValue(id, out var first))
                    throw new DatasetFormatException(
                        path,
                        lineNumber,
                        $"duplicate id '{id}' (first used on line {first})"
                    );
                seenIds[id] = lineNumber;
                result.Add(parse(row, lineNumber));
            }
        }
        return result;
    }

    static string Text(JsonElement row, string field, string path, int line)
    {
        if (!row.TryGetProperty(field, out var value))
            throw new DatasetFormatException(path, line, $"missing field '{field}'");
        if (value.ValueKind != JsonValueKind.String)
            throw new DatasetFormatException(path, line, $"field '{field}' must be a string");
        var text = value.GetString()!;
        if (string.IsNullOrWhiteSpace(text))
            throw new DatasetFormatException(path, line, $"field '{field}' is empty");
        return text;
    }

    static int Label(JsonElement row, string path, int line)
    {
        if (!row.TryGetProperty("label", out var value))
            throw new DatasetFormatException(path, line, "missing field 'label'");
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var label) && label is 0 or 1)
            return label;
        throw new DatasetFormatException(path, line, $"unknown label {value.GetRawText()} (expected 0 or 1)");
    }
}
