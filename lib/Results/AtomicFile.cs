namespace ScienceOfDL.Results;

/// <summary>Writes a file through a temporary sibling and a rename, so a crash never leaves half a file under the real
/// name, and two writers never interleave their bytes in it.</summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = $"{full}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = File.Create(tmp))
                write(stream);
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp))
                File.Delete(tmp);
        }
    }

    public static void WriteText(string path, string text) => Write(path, s =>
        {
            using var w = new StreamWriter(s);
            w.Write(text);
        });
}
