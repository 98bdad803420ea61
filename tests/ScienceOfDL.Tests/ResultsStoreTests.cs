using ScienceOfDL.Results;

namespace ScienceOfDL.Tests;

public class ResultsStoreTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("sodl-results-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public record Row(int Step, double Loss, string Note, bool Done);

    public record Settings(string Model, int Seed, double LearningRate, int[] Sizes);

    [Fact]
    public void Csv_round_trips_commas_quotes_newlines_and_non_ascii_text()
    {
        var path = Path.Combine(_dir, "rows.csv");
        Row[] rows =
        [
            new(1, 0.5, "plain", false),
            new(2, 1e-12, "has, comma and \"quotes\"", true),
            new(3, double.NaN, "two\nlines\r\nand a tab\t", false),
            new(4, -0.1, "ünïcødé — 模型 🍌", true),
            new(5, 1, "", false),
        ];
        CsvFile.Write(path, rows);
        Assert.Equal(rows, CsvFile.Read<Row>(path));
        var appended = Path.Combine(_dir, "appended.csv");
        foreach (var r in rows)
            CsvFile.Append(appended, r);
        Assert.Equal(rows, CsvFile.Read<Row>(appended));
    }

    [Fact]
    public void A_table_with_other_columns_is_refused_and_a_malformed_line_is_named()
    {
        var path = Path.Combine(_dir, "stream.csv");
        CsvFile.Append(path, new Row(1, 2.0, "a", false));
        Assert.Throws<InvalidDataException>(() => CsvFile.Append(path, new { X = 1 }));
        File.WriteAllText(path, "Step,Loss,Note,Done\n1,0.5,x,false\n2,notanumber,y,true\n3,0.1,z,true\n");
        Assert.Contains("line 3", Assert.Throws<InvalidDataException>(() => CsvFile.Read<Row>(path)).Message);
    }

    [Fact]
    public void A_torn_last_line_is_dropped_only_when_asked()
    {
        var path = Path.Combine(_dir, "torn.csv");
        CsvFile.Write(path, [new Row(1, 0.5, "x", true)]);
        File.AppendAllText(path, "2,0.2"); // an append cut off by a crash
        Assert.Throws<InvalidDataException>(() => CsvFile.Read<Row>(path));
        Assert.Single(CsvFile.Read<Row>(path, dropTornLastLine: true));
        // a later append starts on its own line, not glued to the torn one,
        CsvFile.Append(path, new Row(3, 0.1, "y", true));
        Assert.Contains(
            "line 3",
            Assert.Throws<InvalidDataException>(() => CsvFile.Read<Row>(path, dropTornLastLine: true)).Message
        );
        // and the torn line is no longer the last: an error
        Assert.Equal("3,0.1,y,True", File.ReadAllLines(path)[^1]);
    }

    [Fact]
    public void Changing_any_setting_changes_the_key_and_identical_settings_give_the_same_key()
    {
        var s = new Settings("m", 0, 1e-3, [1, 2]);
        var key = ResultKey.Of("k", s);
        Assert.Equal(key, ResultKey.Of("k", new Settings("m", 0, 1e-3, [1, 2])));
        Assert.Equal(key.Stem, ResultKey.Of("k", new Settings("m", 0, 1e-3, [1, 2])).Stem);
        foreach (
            var other in new[]
            {
                s with
                {
                    Model = "n",
                },
                s with
                {
                    Seed = 1,
                },
                s with
                {
                    LearningRate = 1.0000001e-3,
                },
                s with
                {
                    Sizes = [1, 3],
                },
                s with
                {
                    Sizes = [2, 1],
                },
            }
        )
            Assert.NotEqual(key.Stem, ResultKey.Of("k", other).Stem);
        Assert.NotEqual(key.Stem, ResultKey.Of("k2", s).Stem);
        Assert.NotEqual(key.Stem, ResultKey.Of("k", s, "10steps").Stem);
        Assert.Equal(key.Hash, ResultKey.Of("k", s, "10steps").Hash); // a variant stays in its family
        Assert.Throws<ArgumentException>(() => ResultKey.Of("a/b", s));
    }

    [Fact]
    public void A_value_is_computed_once_per_settings_and_described_beside_it()
    {
        var store = new ResultsStore(_dir);
        var calls = 0;
        double Compute()
        {
            calls++;
            return 0.25 * calls;
        }
        var key = ResultKey.Of("value", new Settings("m", 0, 0.1, []));
        Assert.Equal(0.25, store.Value(key, Compute));
        Assert.Equal(0.25, store.Value(key, Compute));
        Assert.Equal(1, calls);
        Assert.Equal(0.5, store.Value(ResultKey.Of("value", new Settings("m", 1, 0.1, [])), Compute));
        var description = File.ReadAllText(store.PathOf(key, ".settings.json"));
        Assert.Contains("\"LearningRate\": 0.1", description);
        // A description naming other settings under this stem (a collision or a hand edit) is refused, not trusted.
        File.WriteAllText(
            store.PathOf(key, ".settings.json"),
            description.Replace("\\u0022Seed\\u0022:0", "\\u0022Seed\\u0022:9")
        );
        Assert.Throws<InvalidDataException>(() => store.Value(key, Compute));
    }

    [Fact]
    public void An_interrupted_sweep_resumes_and_a_changed_setting_recomputes()
    {
        var store = new ResultsStore(_dir);
        var ran = new List<int>();
        Row Run(int step)
        {
            ran.Add(step);
            return new Row(step, step / 10.0, "", true);
        }
        var key = ResultKey.Of("sweep", new Settings("m", 0, 0.1, []));
        using var stop = new CancellationTokenSource();
        Assert.Throws<OperationCanceledException>(() =>
            store.Sweep(
                key,
                [1, 2, 3],
                step =>
                {
                    if (step == 2)
                        stop.Cancel();
                    return Run(step);
                },
                cancel: stop.Token
            )
        );
        Assert.Equal([1, 2], ran); // each row was saved as it finished
        ran.Clear();
        Assert.Equal([3, 1, 2], store.Sweep(key, [3, 1, 2], Run).Select(r => r.Step));
        Assert.Equal([3], ran);
        ran.Clear();
        store.Sweep(key, [1, 2, 3, 4], Run); // a bigger sweep runs only the new job
        Assert.Equal([4], ran);
        ran.Clear();
        store.Sweep(ResultKey.Of("sweep", new Settings("m", 0, 0.2, [])), [1, 2], Run);
        Assert.Equal([1, 2], ran); // another setting is another result
    }

    [Fact]
    public void A_second_process_waits_for_a_held_key_and_then_stops_with_a_clear_message()
    {
        var key = ResultKey.Of("locked", new Settings("m", 0, 0.1, []));
        var first = new ResultsStore(_dir);
        var second = new ResultsStore(_dir) { LockWait = TimeSpan.FromMilliseconds(600) };
        using (first.Lock(key))
        {
            var e = Assert.Throws<IOException>(() => second.Value(key, () => 1));
            Assert.Contains("another process", e.Message);
        }
        Assert.Equal(1, second.Value(key, () => 1)); // released: the second goes ahead
    }

    [Fact]
    public void Two_writers_of_one_sweep_never_duplicate_or_interleave_rows()
    {
        var key = ResultKey.Of("shared", new Settings("m", 0, 0.1, []));
        var jobs = Enumerable.Range(0, 20).ToArray();
        var runs = 0;
        Row Run(int j)
        {
            Interlocked.Increment(ref runs);
            Thread.Sleep(5);
            return new Row(j, j, new string('x', 200), true);
        }
        Parallel.For(0, 2, _ => new ResultsStore(_dir).Sweep(key, jobs, Run));
        Assert.Equal(20, runs);
        var saved = CsvFile.Read<Row>(new ResultsStore(_dir).PathOf(key, ".csv"), ResultsStore.JobColumn);
        Assert.Equal(jobs, saved.Select(r => r.Row.Step).Order());
    }

    [Fact]
    public void An_unreadable_settings_file_is_named_not_a_bare_parser_error()
    {
        var store = new ResultsStore(_dir);
        var key = ResultKey.Of("thing", new Settings("m", 1, 0.1, [1]));
        Assert.Equal(3, store.Value(key, () => 3));
        var settings = store.PathOf(key, SettingsFile.Extension);
        File.WriteAllText(settings, "{ garbage");
        var e = Assert.Throws<InvalidDataException>(() => store.Value(key, () => 4));
        Assert.StartsWith($"{settings} is not a readable settings file (", e.Message);
        Assert.Contains($"delete the files {key.Stem}.*", e.Message);
        var longer = key with { Variant = "10steps" }; // a family member, read by Variants
        store.Value(longer, () => 5);
        File.WriteAllText(store.PathOf(longer, SettingsFile.Extension), "[1, 2");
        Assert.Contains(
            "10steps.settings.json is not a readable settings file",
            Assert.Throws<InvalidDataException>(() => store.Variants(key).ToList()).Message
        );
        File.Delete(store.PathOf(longer, SettingsFile.Extension));
        File.WriteAllText(settings, "{ \"kind\": \"thing\" }");
        Assert.Contains(
            "it has no \"key\"",
            Assert.Throws<InvalidDataException>(() => store.Value(key, () => 4)).Message
        );
        var problem = Assert.Single(SettingsFile.Problems(_dir));
        Assert.StartsWith(settings, problem);
        File.Delete(settings);
        Assert.Empty(SettingsFile.Problems(_dir));
        Assert.Empty(SettingsFile.Problems(Path.Combine(_dir, "absent")));
    }
}
