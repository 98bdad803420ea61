using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace ScienceOfDL.Results;

/// <summary>
/// Tables of flat records as RFC 4180 CSV through CsvHelper: one column per public property, invariant culture, so
/// commas, quotes, newlines and non-ASCII text in string fields round-trip. Extra columns (e.g. a sweep's job key) are
/// allowed beside the record's. Errors name the file and the line.
/// </summary>
public static class CsvFile
{
    static CsvConfiguration Config =>
        new(CultureInfo.InvariantCulture)
        {
            HeaderValidated = null, // the header is checked by ourselves, with a clearer message
            MissingFieldFound = null,
        };

    public static string[] Header<T>() =>
        typeof(T)
            .GetProperties()
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
            .Select(p => p.Name)
            .ToArray();

    /// <summary>Writes all rows at once, to a temporary file first, so a crash never leaves half a table.</summary>
    public static void Write<T>(
        string path,
        IEnumerable<T> rows,
        string? extraColumn = null,
        Func<T, string>? extra = null
    )
    {
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream);
            using var csv = new CsvWriter(writer, Config);
            WriteHeader<T>(csv, extraColumn);
            foreach (var row in rows)
                WriteRow(csv, row, extra);
        });
    }

    /// <summary>Appends one row (the header first if the file is new). Refuses a file with other columns.</summary>
    public static void Append<T>(string path, T row, string? extraColumn = null, string? extraValue = null)
    {
        var expected = Expected<T>(extraColumn);
        var isNew = !File.Exists(path) || new FileInfo(path).Length == 0;
        if (!isNew)
        {
            var header = ReadHeader(path);
            if (!header.SequenceEqual(expected))
                throw new InvalidDataException(
                    $"{path} has the columns [{string.Join(", ", header)}], not [{string.Join(", ", expected)}]."
                );
            EnsureEndsWithNewline(path);
        }
        using var writer = new StreamWriter(path, append: true);
        using var csv = new CsvWriter(writer, Config);
        if (isNew)
            WriteHeader<T>(csv, extraColumn);
        WriteRow(csv, row, extraValue is null ? null : _ => extraValue);
    }

    /// <summary>Every row, with the extra column's value when asked for. A row that cannot be read is an error naming
    /// the line, except a half-written LAST line when <paramref name="dropTornLastLine"/> (an append cut off by a
    /// crash).</summary>
    public static List<(T Row, string? Extra)> Read<T>(
        string path,
        string? extraColumn = null,
        bool dropTornLastLine = false
    )
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"No table {path}.", path);
        var header = ReadHeader(path);
        var expected = Expected<T>(extraColumn);
        if (!header.SequenceEqual(expected))
            throw new InvalidDataException(
                $"{path}: columns [{string.Join(", ", header)}] do not match {typeof(T).Name} [{string.Join(", ",
                    expected)}]."
            );
        var rows = new List<(T, string?)>();
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, Config);
        csv.Read();
        csv.ReadHeader();
        while (csv.Read())
        {
            var line = csv.Parser.RawRow;
            try
            {
                if (csv.Parser.Count != expected.Length)
                    throw new InvalidDataException($"{csv.Parser.Count} cells, expected {expected.Length}");
                rows.Add((csv.GetRecord<T>()!, extraColumn is null ? null : csv.GetField(extraColumn)));
            }
            catch (Exception e) when (e is CsvHelperException or InvalidDataException or FormatException)
            {
                var last = !csv.Read();
                if (dropTornLastLine && last)
                    break;
                throw new InvalidDataException($"{path} line {line}: {FirstLine(e.Message)}", e);
            }
        }
        return rows;
    }

    public static List<T> Read<T>(string path) => Read<T>(path, null).Select(r => r.Row).ToList();

    static string[] Expected<T>(string? extraColumn) =>
        extraColumn is null ? Header<T>() : [.. Header<T>(), extraColumn];

    static void WriteHeader<T>(CsvWriter csv, string? extraColumn)
    {
        foreach (var name in Header<T>())
            csv.WriteField(name);
        if (extraColumn is not null)
            csv.WriteField(extraColumn);
        csv.NextRecord();
    }

    static void WriteRow<T>(CsvWriter csv, T row, Func<T, string>? extra)
    {
        foreach (var p in typeof(T).GetProperties().Where(p => p.CanRead && p.GetIndexParameters().Length == 0))
            csv.WriteField(p.GetValue(row));
        if (extra is not null)
            csv.WriteField(extra(row));
        csv.NextRecord();
    }

    static string[] ReadHeader(string path)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, Config);
        if (!csv.Read())
            return [];
        csv.ReadHeader();
        return csv.HeaderRecord ?? [];
    }

    // A torn append may have left no line end; the next row must not be glued onto it.
    static void EnsureEndsWithNewline(string path)
    {
        using var f = File.Open(path, FileMode.Open, FileAccess.ReadWrite);
        if (f.Length == 0)
            return;
        f.Seek(-1, SeekOrigin.End);
        if (f.ReadByte() != '\n')
        {
            f.Seek(0, SeekOrigin.End);
            f.WriteByte((byte)'\n');
        }
    }

    static string FirstLine(string s) => s.Split('\n')[0].Trim();
}
