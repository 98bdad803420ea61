using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScienceOfDL.Results;

/// <summary>
/// Saved results, each under the <see cref="ResultKey"/> of the settings that produced it: <c>STEM.csv</c> (a table),
/// <c>STEM.json</c> (a value), or files the caller writes itself (<c>STEM.checkpoint</c>, ...), always beside
/// <c>STEM.settings.json</c>, which says in words what produced them. Asking again with the same settings reuses the
/// result; any other setting is another key, so it is computed, never silently taken from another setting. While a
/// result is computed its key is locked, so a second process waits for it (up to <see cref="LockWait"/>) instead of
/// writing the same files at the same time.
/// </summary>
public sealed class ResultsStore
{
    public string Folder { get; }

    /// <summary>How long <see cref="Lock"/> waits for another process before it gives up with a clear
    /// message.</summary>
    public TimeSpan LockWait { get; init; } =
        TimeSpan.FromSeconds(
            double.TryParse(Environment.GetEnvironmentVariable("SODL_LOCK_WAIT"), out var s) ? s : 600
        );

    /// <summary>Told when this process has to wait for another one's lock (e.g. shown in the notebook).</summary>
    public IProgress<string>? Notices { get; init; }

    public ResultsStore(string folder)
    {
        Folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(Folder);
    }

    public string PathOf(ResultKey key, string extension) => Path.Combine(Folder, key.Stem + extension);

    public bool Has(ResultKey key, string extension) => File.Exists(PathOf(key, extension));

    /// <summary>Writes the key's <c>.settings.json</c> (or checks that an existing one names the same
    /// settings).</summary>
    public void Describe(ResultKey key)
    {
        var path = PathOf(key, SettingsFile.Extension);
        if (File.Exists(path))
        {
            var saved = SettingsFile.Key(path);
            if (saved != key.Settings)
                throw new InvalidDataException(
                    $"{path} describes other settings than {key.Kind} asked for "
                        + $"(saved: {saved}; asked: {key.Settings}). Delete the files of "
                        + $"{key.Stem}."
                );
            return;
        }
        var doc = new JsonObject
        {
            ["kind"] = key.Kind,
            ["variant"] = key.Variant,
            ["settings"] = JsonNode.Parse(key.Settings),
            ["key"] = key.Settings,
            ["written"] = DateTime.UtcNow.ToString("u"),
        };
        AtomicFile.WriteText(path, doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>The value saved under <paramref name="key"/>, computing and saving it first if absent.</summary>
    public T Value<T>(ResultKey key, Func<T> compute)
    {
        var path = PathOf(key, ".json");
        if (TryReadJson<T>(key, path, out var saved))
            return saved!;
        using var _ = Lock(key);
        if (TryReadJson(key, path, out saved))
            return saved!; // another process finished it while we waited
        var value = compute();
        Describe(key);
        AtomicFile.WriteText(path, JsonSerializer.Serialize(value, JsonOptions));
        return value;
    }

    /// <summary>The table saved under <paramref name="key"/>, computing and saving all of it first if absent.</summary>
    public List<T> Table<T>(ResultKey key, Func<IEnumerable<T>> compute)
    {
        var path = PathOf(key, ".csv");
        if (File.Exists(path))
        {
            Describe(key);
            return CsvFile.Read<T>(path);
        }
        using var _ = Lock(key);
        if (File.Exists(path))
            return CsvFile.Read<T>(path);
        var rows = compute().ToList();
        Describe(key);
        CsvFile.Write(path, rows);
        return rows;
    }

    /// <summary>
    /// A resumable sweep under one key (the settings the jobs share): each job (a record of what varies between jobs)
    /// that has no rows in <c>STEM.csv</c> yet is run and its rows are appended the moment it finishes, tagged with the
    /// job's own key, so an interrupted sweep continues where it stopped and a sweep with more jobs runs only the new
    /// ones. Returns the rows of the asked jobs, in job order.
    /// </summary>
    public List<TRow> SweepMany<TJob, TRow>(
        ResultKey key,
        IEnumerable<TJob> jobs,
        Func<TJob, IEnumerable<TRow>> run,
        IProgress<TRow>? progress = null,
        CancellationToken cancel = default
    )
        where TJob : notnull
    {
        var path = PathOf(key, ".csv");
        var jobList = jobs.ToList();
        var keys = jobList.Select(j => ResultKey.Json(j)).ToList();
        Dictionary<string, List<TRow>> Saved() =>
            !File.Exists(path)
                ? []
                : CsvFile
                    .Read<TRow>(path, JobColumn)
                    .GroupBy(r => r.Extra!)
                    .ToDictionary(g => g.Key, g => g.Select(r => r.Row).ToList());
        var saved = Saved();
        if (keys.Any(k => !saved.ContainsKey(k)))
        {
            using var _ = Lock(key);
            saved = Saved();
            Describe(key);
            for (var i = 0; i < jobList.Count; i++)
            {
                if (saved.ContainsKey(keys[i]))
                    continue;
                cancel.ThrowIfCancellationRequested();
                var rows = run(jobList[i]).ToList();
                foreach (var row in rows)
                {
                    CsvFile.Append(path, row, JobColumn, keys[i]);
                    progress?.Report(row);
                }
                saved[keys[i]] = rows;
            }
        }
        else
            Describe(key);
        return keys.SelectMany(k => saved[k]).ToList();
    }

    /// <summary>Every sweep saved here under <paramref name="kind"/> (any settings), read back without computing
    /// anything: its file stem, its settings as the record <typeparamref name="TSettings"/> that keyed them, and its
    /// rows. For a notebook that compares its own results with another notebook's.</summary>
    public List<(string Stem, TSettings Settings, List<TRow> Rows)> SavedSweeps<TSettings, TRow>(string kind) =>
        Directory
            .GetFiles(Folder, kind + "-*.csv")
            .Order(StringComparer.Ordinal)
            .Select(csv => Path.GetFileNameWithoutExtension(csv))
            .Where(stem => stem.Length == kind.Length + 13) // KIND-HASH exactly: not a longer kind's files
            .Select(stem =>
                (
                    stem,
                    (TSettings)
                        ResultKey.Parse(
                            typeof(TSettings),
                            SettingsFile.Key(Path.Combine(Folder, stem + SettingsFile.Extension))
                        ),
                    CsvFile.Read<TRow>(Path.Combine(Folder, stem + ".csv"), JobColumn).Select(r => r.Row).ToList()
                )
            )
            .ToList();

    /// <summary>A sweep whose jobs each give one row (<see cref="SweepMany{TJob, TRow}"/> for several).</summary>
    public List<TRow> Sweep<TJob, TRow>(
        ResultKey key,
        IEnumerable<TJob> jobs,
        Func<TJob, TRow> run,
        IProgress<TRow>? progress = null,
        CancellationToken cancel = default
    )
        where TJob : notnull => SweepMany(key, jobs, job => [run(job)], progress, cancel);

    /// <summary>The column of a sweep's CSV that holds each row's job, as JSON.</summary>
    public const string JobColumn = "Job";

    /// <summary>Other variants saved in the same family as <paramref name="key"/> (same kind and settings, another
    /// <see cref="ResultKey.Variant"/>), e.g. a shorter run that a longer one can continue.</summary>
    public IEnumerable<ResultKey> Variants(ResultKey key)
    {
        var prefix = $"{key.Kind}-{key.Hash}-";
        foreach (var file in Directory.EnumerateFiles(Folder, prefix + "*" + SettingsFile.Extension))
        {
            var variant = Path.GetFileName(file)[prefix.Length..^SettingsFile.Extension.Length];
            var other = key with { Variant = variant };
            if (other != key && SettingsFile.Key(file) == key.Settings)
                yield return other;
        }
    }

    /// <summary>
    /// Holds <paramref name="key"/> for this process until disposed (an OS file lock, released if the process dies).
    /// Another process asking for it waits up to <see cref="LockWait"/>, then stops with a message saying why.
    /// </summary>
    public IDisposable Lock(ResultKey key)
    {
        var path = PathOf(key, ".lock");
        var deadline = DateTime.UtcNow + LockWait;
        var told = false;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                if (!told)
                    Notices?.Report($"waiting: another process is computing {key.Stem} in {Folder}");
                told = true;
                Thread.Sleep(250);
            }
            catch (IOException e)
            {
                throw new IOException(
                    $"{key.Stem} in {Folder} is being computed by another process (it holds "
                        + $"{path}); "
                        + $"waited {LockWait.TotalSeconds:F0} s. Wait for that run to finish, or give "
                        + $"this run "
                        + "its own results folder.",
                    e
                );
            }
        }
    }

    static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        IncludeFields = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    bool TryReadJson<T>(ResultKey key, string path, out T value)
    {
        value = default!;
        if (!File.Exists(path))
            return false;
        Describe(key);
        value = JsonSerializer.Deserialize<T>(File.ReadAllText(path), JsonOptions)
            ?? throw new InvalidDataException($"{path} holds null.");
        return true;
    }
}
