namespace ScienceOfDL;

/// <summary>
/// QUICK vs full mode: one switch for every notebook. QUICK (<c>SODL_QUICK=1</c> or <c>true</c>) shrinks each
/// experiment so the whole collection runs in CI; full mode (unset, empty, <c>0</c> or <c>false</c>) reproduces the
/// papers' setups. Any other value is an error rather than a guess. No dependencies: the notebook runner compiles this
/// file too, so both read the switch the same way.
/// </summary>
public static class RunMode
{
    public const string QuickVariable = "SODL_QUICK";

    public static bool IsQuick => Parse(Environment.GetEnvironmentVariable(QuickVariable));

    public static bool Parse(string? value) =>
        value?.Trim().ToLowerInvariant() switch
        {
            null or "" or "0" or "false" => false,
            "1" or "true" => true,
            _ => throw new ArgumentException(
                $"{QuickVariable}={value} is neither QUICK (1 or true) nor full mode (0, " + $"false or unset)."
            ),
        };

    public static string Name => IsQuick ? "QUICK" : "full";

    /// <summary>Picks the QUICK or the full value of a setting, so a parameters cell states both side by side:
    /// <c>int steps = Pick(quick: 1000, full: 40000);</c></summary>
    public static T Pick<T>(T quick, T full) => IsQuick ? quick : full;
}
