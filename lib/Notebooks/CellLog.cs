using System.Security.Cryptography;
using System.Text;

namespace ScienceOfDL.Notebooks;

/// <summary>
/// The kernel writes "start ID" and "end ID" for every cell it runs to the file named by <c>SODL_CELL_LOG</c>; a run
/// that times out then says which cell it was in. ID is a hash of the cell's code. No dependencies: the runner compiles
/// it too.
/// </summary>
public static class CellLog
{
    public const string Variable = "SODL_CELL_LOG";

    /// <summary>How a cell's error begins when the session skipped it after an earlier failure (the runner counts
    /// these as skipped, not as failures of their own).</summary>
    public const string Skipped = "skipped: ";

    public static string Id(string code) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(code.Replace("\r\n", "\n").Trim())))[..16];

    /// <summary>The ID of the cell that started last and never ended, or null.</summary>
    public static string? Unfinished(string logPath)
    {
        if (!File.Exists(logPath))
            return null;
        string? open = null;
        foreach (var line in File.ReadLines(logPath))
        {
            if (line.StartsWith("start "))
                open = line[6..];
            else if (line.StartsWith("end ") && line[4..] == open)
                open = null;
        }
        return open;
    }
}
