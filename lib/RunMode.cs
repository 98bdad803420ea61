namespace ScienceOfDL;

/// <summary>
/// QUICK vs full mode: one switch for every notebook. QUICK (<c>SODL_QUICK=1</c>) shrinks each experiment so the
/// whole collection runs in CI; full mode reproduces the papers' setups.
/// </summary>
public static class RunMode
{
    public const string QuickVariable = "SODL_QUICK";

    public static bool IsQuick => Environment.GetEnvironmentVariable(QuickVariable) is { } v
        && (v == "1" || v.Equals("true", StringComparison.OrdinalIgnoreCase));

    public static string Name => IsQuick ? "QUICK" : "full";

    /// <summary>Picks the QUICK or the full value of a setting, so a notebook cell states both side by side.</summary>
    public static T Pick<T>(T quick, T full) => IsQuick ? quick : full;
}
