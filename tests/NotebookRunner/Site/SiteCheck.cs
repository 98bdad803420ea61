using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using PuppeteerSharp;

namespace ScienceOfDL.NotebookRunner.Site;

/// <summary>What the browser saw on one page, and what is wrong with it.</summary>
public sealed record PageCheck(string Page, int Charts, int ChartsDrawn, int Math, int MathTypeset, int InternalLinks,
    IReadOnlyList<string> Problems);

public sealed record SiteCheckResult(IReadOnlyList<PageCheck> Pages)
{
    public IEnumerable<string> Problems => Pages.SelectMany(p => p.Problems.Select(x => $"{p.Page}: {x}"));
    public bool Passed => !Problems.Any();

    public string Describe() => string.Join(Environment.NewLine, Pages.Select(p =>
        $"{(p.Problems.Count == 0 ? "ok  " : "FAIL")} {p.Page}: {p.ChartsDrawn}/{p.Charts} charts drawn, " +
        $"{p.MathTypeset}/{p.Math} formulas typeset, {p.InternalLinks} internal links" +
        string.Concat(p.Problems.Select(x => Environment.NewLine + "       " + x))));
}

/// <summary>
/// Opens every page of a built site in headless Chromium from file:// and reports: console errors, uncaught
/// exceptions and failed loads; chart containers without a drawn plot (<c>.main-svg</c>); charts in the page source
/// that are not wrapped as figures; formulas KaTeX did not typeset or flagged; internal links to a missing file or
/// anchor.
/// </summary>
public static class SiteCheck
{
    const string FactsScript = """
        () => {
          const charts = [...document.querySelectorAll('.sodl-chart')];
          const maths = [...document.querySelectorAll('.math')];
          return {
            charts: charts.length,
            undrawn: charts.filter(f => !f.querySelector('.main-svg')).map(f => f.id),
            math: maths.length,
            untypeset: maths.filter(m => !m.querySelector('.katex')).map(m => m.textContent.slice(0, 60)),
            katexErrors: [...document.querySelectorAll('.katex-error')]
              .map(e => e.getAttribute('title') || e.textContent),
            ids: [...document.querySelectorAll('[id]')].map(e => e.id),
            links: [...document.querySelectorAll('a[href]')].map(a => a.href),
          };
        }
        """;

    const string ReadyScript = """
        () => [...document.querySelectorAll('.sodl-chart')].every(f => f.querySelector('.main-svg'))
           && [...document.querySelectorAll('.math')].every(m => m.querySelector('.katex, .katex-error'))
        """;

    sealed record Facts(
        [property: JsonPropertyName("charts")] int Charts,
        [property: JsonPropertyName("undrawn")] string[] Undrawn,
        [property: JsonPropertyName("math")] int Math,
        [property: JsonPropertyName("untypeset")] string[] Untypeset,
        [property: JsonPropertyName("katexErrors")] string[] KatexErrors,
        [property: JsonPropertyName("ids")] string[] Ids,
        [property: JsonPropertyName("links")] string[] Links);

    const int PagesAtOnce = 4;

    static readonly Regex NewPlot = new(@"Plotly\.newPlot\(");

    public static async Task<SiteCheckResult> RunAsync(string siteDir, TimeSpan? drawTimeout = null)
    {
        siteDir = Path.GetFullPath(siteDir);
        var pages = Directory.GetFiles(siteDir, "*.html").OrderBy(p => p, StringComparer.Ordinal).ToList();
        if (pages.Count == 0) return new SiteCheckResult([new PageCheck(siteDir, 0, 0, 0, 0, 0, ["no pages"])]);
        await using var browser = await Chromium.LaunchAsync();
        // A few pages at a time: a page mostly waits (for plotly.js to parse, for charts to draw, or for the draw
        // timeout of a broken one), so their waits overlap; results keep the pages' order.
        // Pages are opened one at a time: four tabs requested at once once left one never announced (a 30 s timeout
        // inside NewPageAsync, seen once in a full test run).
        using var open = new SemaphoreSlim(PagesAtOnce);
        using var opening = new SemaphoreSlim(1);
        var results = await Task.WhenAll(pages.Select(async path =>
        {
            await open.WaitAsync();
            try { return await VisitAsync(browser, opening, path, drawTimeout ?? TimeSpan.FromSeconds(30)); }
            finally { open.Release(); }
        }));
        var visited = pages.Zip(results).ToDictionary(x => x.First, x => x.Second);

        var checks = new List<PageCheck>();
        foreach (var (path, (facts, problems)) in visited)
        {
            var internalLinks = 0;
            foreach (var href in facts.Links.Distinct())
            {
                if (!href.StartsWith("file:", StringComparison.Ordinal)) continue;
                internalLinks++;
                var uri = new Uri(href);
                var target = Uri.UnescapeDataString(uri.LocalPath);
                var fragment = Uri.UnescapeDataString(uri.Fragment.TrimStart('#'));
                var inSite = Path.GetFullPath(target)
                    .StartsWith(siteDir + Path.DirectorySeparatorChar, StringComparison.Ordinal);
                if (!inSite)
                    problems.Add($"link leaves the site: {href}");
                else if (!File.Exists(target))
                    problems.Add($"link to a missing file: {Path.GetRelativePath(siteDir, target)}");
                else if (fragment.Length > 0 &&
                         (!visited.TryGetValue(target, out var other) || !other.Facts.Ids.Contains(fragment)))
                    problems.Add($"link to a missing anchor: {Path.GetRelativePath(siteDir, target)}#{fragment}");
            }
            checks.Add(new PageCheck(Path.GetFileName(path), facts.Charts, facts.Charts - facts.Undrawn.Length,
                facts.Math, facts.Math - facts.Untypeset.Length, internalLinks, problems));
        }
        return new SiteCheckResult(checks);
    }

    static async Task<(Facts Facts, List<string> Problems)> VisitAsync(IBrowser browser, SemaphoreSlim opening,
        string path, TimeSpan drawTimeout)
    {
        var problems = new List<string>();
        IPage page;
        await opening.WaitAsync();
        try { page = await browser.NewPageAsync(); }
        finally { opening.Release(); }
        await using var owned = page; // closed when the visit ends
        await page.SetViewportAsync(new ViewPortOptions { Width = 1100, Height = 900 });
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error) lock (problems) problems.Add($"console error: {e.Message.Text}");
        };
        page.PageError += (_, e) => { lock (problems) problems.Add($"uncaught error: {e.Message}"); };
        page.RequestFailed += (_, e) =>
        {
            lock (problems) problems.Add($"failed to load {e.Request.Url}: {e.Request.FailureText}");
        };

        await page.GoToAsync(new Uri(path).AbsoluteUri, new NavigationOptions
        {
            WaitUntil = [WaitUntilNavigation.Load], Timeout = (int)TimeSpan.FromSeconds(120).TotalMilliseconds,
        });
        try
        {
            await page.WaitForFunctionAsync(ReadyScript, new WaitForFunctionOptions
            {
                Timeout = (int)drawTimeout.TotalMilliseconds, PollingInterval = 200,
            });
        }
        catch (WaitTaskTimeoutException) { } // reported below, chart by chart

        var facts = await page.EvaluateFunctionAsync<Facts>(FactsScript);
        lock (problems)
        {
            problems.AddRange(facts.Undrawn.Select(id => $"chart {id} has no drawn plot (.main-svg)"));
            problems.AddRange(facts.Untypeset.Select(t => $"formula not typeset: {t}"));
            problems.AddRange(facts.KatexErrors.Select(t => $"KaTeX error: {t}"));
            var plotCalls = NewPlot.Matches(File.ReadAllText(path)).Count;
            if (plotCalls != facts.Charts)
                problems.Add($"{plotCalls} Plotly.newPlot calls in the page but {facts.Charts} chart containers");
            return (facts, problems.ToList());
        }
    }
}
