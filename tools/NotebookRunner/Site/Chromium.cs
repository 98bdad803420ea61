using PuppeteerSharp;

namespace ScienceOfDL.NotebookRunner.Site;

/// <summary>
/// The headless browser behind the site check and the figure screenshots: the machine's Chromium (Debian's
/// <c>chromium</c>, which scripts/setup.sh installs as root), or the one <c>SODL_CHROMIUM</c> names.
/// Nothing is downloaded.
/// </summary>
public static class Chromium
{
    public const string Variable = "SODL_CHROMIUM";

    public static string? Find()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } set)
            return File.Exists(set) ? set : null;
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(
            Path.PathSeparator,
            StringSplitOptions.RemoveEmptyEntries
        );
        return new[] { "chromium", "chromium-browser", "google-chrome", "google-chrome-stable" }
            .SelectMany(name => dirs.Select(d => Path.Combine(d, name)))
            .FirstOrDefault(File.Exists);
    }

    public static string Require() =>
        Find()
        ?? throw new InvalidOperationException(
            "No Chromium found for the site's browser check and figures. On Debian, run ./test.sh as root once and "
                + "scripts/setup.sh installs it (apt-get install chromium fonts-dejavu-core); "
                + "elsewhere install Chromium or Chrome "
                + $"and put it on PATH, or set {Variable} to its executable."
        );

    public static Task<IBrowser> LaunchAsync() =>
        Puppeteer.LaunchAsync(
            new LaunchOptions
            {
                ExecutablePath = Require(),
                Headless = true,
                // Root (as in CI) needs --no-sandbox; containers often have a tiny /dev/shm.
                Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"],
                Timeout = 60_000,
            }
        );
}
