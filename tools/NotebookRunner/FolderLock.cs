namespace ScienceOfDL.NotebookRunner;

/// <summary>An exclusive OS lock on a file (released if the process dies), as the results store locks its keys: a
/// second runner on the same artifacts folder waits for the first instead of deleting its live files.</summary>
public static class FolderLock
{
    /// <summary>The held lock, or null when another process still held it after <paramref name="wait"/>.
    /// <paramref name="waiting"/> is called once, when this process has to wait.</summary>
    public static FileStream? Take(string path, TimeSpan wait, Action? waiting = null)
    {
        var deadline = DateTime.UtcNow + wait;
        var told = false;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (File.Exists(path))
            {
                if (DateTime.UtcNow >= deadline)
                    return null;
                if (!told)
                    waiting?.Invoke();
                told = true;
                Thread.Sleep(500);
            }
        }
    }
}
