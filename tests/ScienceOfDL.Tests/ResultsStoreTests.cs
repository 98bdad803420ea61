using ScienceOfDL.Results;

namespace ScienceOfDL.Tests;

public class ResultsStoreTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("sodl-results-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public record Row(int Step, double Loss, string Note, bool Done);

    [Fact]
    public void Csv_round_trips_records_including_awkward_strings()
    {
        var store = new ResultsStore(_dir);
        var rows = new[] { new Row(1, 0.5, "plain", false), new Row(2, 1e-12, "has, comma and \"quotes\"", true) };
        store.WriteCsv("rows.csv", rows);
        Assert.Equal(rows, store.ReadCsv<Row>("rows.csv"));
    }

    [Fact]
    public void Appended_rows_stream_in_and_a_mismatched_header_is_refused()
    {
        var store = new ResultsStore(_dir);
        store.AppendCsv("stream.csv", new Row(1, 2.0, "a", false));
        store.AppendCsv("stream.csv", new Row(2, 1.0, "b", true));
        Assert.Equal(2, store.ReadCsv<Row>("stream.csv").Count);
        Assert.Throws<InvalidDataException>(() => store.AppendCsv("stream.csv", new { X = 1 }));
    }

    [Fact]
    public void Json_round_trips_and_missing_results_say_so()
    {
        var store = new ResultsStore(_dir);
        store.WriteJson("r.json", new Dictionary<string, double[]> { ["acc"] = [0.5, 1.0] });
        Assert.Equal([0.5, 1.0], store.ReadJson<Dictionary<string, double[]>>("r.json")["acc"]);
        var e = Assert.Throws<FileNotFoundException>(() => store.ReadJson<int>("nope.json"));
        Assert.Contains("nope.json", e.Message);
        Assert.False(store.TryReadJson<int>("nope.json", out _));
    }

    [Fact]
    public void A_malformed_csv_line_is_an_error_naming_the_line()
    {
        var store = new ResultsStore(_dir);
        File.WriteAllText(store.PathOf("bad.csv"), "Step,Loss,Note,Done\n1,0.5,x,false\n2,notanumber,y,true\n");
        var e = Assert.Throws<InvalidDataException>(() => store.ReadCsv<Row>("bad.csv"));
        Assert.Contains("line 3", e.Message);
    }

    [Fact]
    public void An_interrupted_sweep_resumes_and_runs_only_the_missing_jobs()
    {
        var store = new ResultsStore(_dir);
        var ran = new List<int>();
        Row Run(int step) { ran.Add(step); return new Row(step, step / 10.0, "", true); }
        bool IsRowOf(Row r, int step) => r.Step == step;
        using var stop = new CancellationTokenSource();
        Assert.Throws<OperationCanceledException>(() => store.RunMissing("sweep.csv", [1, 2, 3],
            IsRowOf, step => { if (step == 2) stop.Cancel(); return Run(step); }, cancel: stop.Token));
        Assert.Equal([1, 2], ran);                                   // each row was saved as it finished
        ran.Clear();
        var rows = store.RunMissing("sweep.csv", [1, 2, 3], IsRowOf, Run);
        Assert.Equal([3], ran);
        Assert.Equal([1, 2, 3], rows.Select(r => r.Step));
        Assert.Equal(rows, store.ReadCsv<Row>("sweep.csv"));
    }
}
