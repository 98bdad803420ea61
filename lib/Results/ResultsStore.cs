using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace ScienceOfDL.Results;

/// <summary>
/// Experiment results on disk, under <c>data/results/</c> by default: tables of flat records as CSV (streamed a row at a
/// time so an interrupted run keeps what it had), anything else as JSON. Writes go to a temporary file first and are then
/// renamed, so a crash never leaves half a file behind.
/// </summary>
public sealed class ResultsStore
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, IncludeFields = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public string Folder { get; }

    public ResultsStore(string? folder = null)
    {
        Folder = folder ?? Repository.ResultsDir;
        Directory.CreateDirectory(Folder);
    }

    public string PathOf(string name) => System.IO.Path.Combine(Folder, name);
    public bool Exists(string name) => File.Exists(PathOf(name));

    // ---- JSON ----
    public void WriteJson<T>(string name, T value) => WriteAtomically(PathOf(name), JsonSerializer.Serialize(value, Json));

    public T ReadJson<T>(string name)
    {
        var path = PathOf(name);
        if (!File.Exists(path)) throw new FileNotFoundException($"No result '{name}' in {Folder}.", path);
        return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json)
               ?? throw new InvalidDataException($"{path} holds null.");
    }

    public bool TryReadJson<T>(string name, out T? value)
    {
        value = default;
        if (!Exists(name)) return false;
        try { value = ReadJson<T>(name); return value is not null; }
        catch (JsonException) { return false; }
    }

    // ---- CSV of flat records ----
    public void WriteCsv<T>(string name, IEnumerable<T> rows)
    {
        var sb = new StringBuilder().AppendLine(Header<T>());
        foreach (var row in rows) sb.AppendLine(Line(row));
        WriteAtomically(PathOf(name), sb.ToString());
    }

    /// <summary>Appends one row (writing the header first if the file is new), for results that stream in.</summary>
    public void AppendCsv<T>(string name, T row)
    {
        var path = PathOf(name);
        if (!File.Exists(path)) File.WriteAllText(path, Header<T>() + Environment.NewLine);
        else if (File.ReadLines(path).FirstOrDefault() != Header<T>())
            throw new InvalidDataException($"{path} has columns other than {typeof(T).Name}'s; delete it or use another name.");
        File.AppendAllText(path, Line(row) + Environment.NewLine);
    }

    /// <summary>Reads a CSV written by this store back into records whose constructor parameters match the columns.</summary>
    public List<T> ReadCsv<T>(string name)
    {
        var path = PathOf(name);
        if (!File.Exists(path)) throw new FileNotFoundException($"No result '{name}' in {Folder}.", path);
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0] != Header<T>())
            throw new InvalidDataException($"{path}: header does not match {typeof(T).Name} ({Header<T>()}).");
        var ctor = typeof(T).GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var pars = ctor.GetParameters();
        var props = Properties<T>();
        var result = new List<T>();
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            var cells = SplitCsv(lines[i]);
            if (cells.Count != props.Length) throw new InvalidDataException($"{path} line {i + 1}: {cells.Count} cells, expected {props.Length}.");
            var args = pars.Select(p =>
            {
                var idx = Array.FindIndex(props, q => q.Name.Equals(p.Name, StringComparison.OrdinalIgnoreCase));
                if (idx < 0) throw new InvalidDataException($"{typeof(T).Name}'s parameter {p.Name} has no column.");
                try { return Parse(cells[idx], p.ParameterType); }
                catch (FormatException e) { throw new InvalidDataException($"{path} line {i + 1}, column {props[idx].Name}: {e.Message}"); }
            }).ToArray();
            result.Add((T)ctor.Invoke(args));
        }
        return result;
    }

    public void Delete(string name) { if (Exists(name)) File.Delete(PathOf(name)); }

    /// <summary>A resumable sweep: runs each job that has no row in CSV <paramref name="name"/> yet and appends its row the
    /// moment it finishes, so an interrupted sweep continues where it stopped. Returns every row in the file.</summary>
    /// <param name="isRowOf">Whether a saved row is the result of a job.</param>
    public List<TRow> RunMissing<TJob, TRow>(string name, IEnumerable<TJob> jobs, Func<TRow, TJob, bool> isRowOf,
        Func<TJob, TRow> run, IProgress<TRow>? progress = null, CancellationToken cancel = default)
    {
        var rows = Exists(name) ? ReadCsv<TRow>(name) : [];
        foreach (var job in jobs)
        {
            if (rows.Any(r => isRowOf(r, job))) continue;
            cancel.ThrowIfCancellationRequested();
            var row = run(job);
            AppendCsv(name, row);
            rows.Add(row);
            progress?.Report(row);
        }
        return rows;
    }

    // ---- helpers ----
    public static void WriteAtomically(string path, string text)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, text);
        File.Move(tmp, path, overwrite: true);
    }

    static PropertyInfo[] Properties<T>() => typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanRead && p.GetIndexParameters().Length == 0).ToArray();

    static string Header<T>() => string.Join(",", Properties<T>().Select(p => p.Name));

    static string Line<T>(T row) => string.Join(",", Properties<T>().Select(p => Format(p.GetValue(row))));

    static string Format(object? v) => v switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        string s when s.IndexOfAny([',', '"', '\n', '\r']) >= 0 => "\"" + s.Replace("\"", "\"\"") + "\"",
        _ => v.ToString() ?? "",
    };

    static object? Parse(string s, Type t)
    {
        var u = Nullable.GetUnderlyingType(t);
        if (u is not null) return s.Length == 0 ? null : Parse(s, u);
        if (t == typeof(string)) return s;
        if (t == typeof(bool)) return bool.Parse(s);
        if (t.IsEnum) return Enum.Parse(t, s);
        return Convert.ChangeType(s, t, CultureInfo.InvariantCulture);
    }

    static List<string> SplitCsv(string line)
    {
        var cells = new List<string>();
        var sb = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else sb.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { cells.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(c);
        }
        cells.Add(sb.ToString());
        return cells;
    }
}
