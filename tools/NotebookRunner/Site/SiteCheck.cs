using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using PuppeteerSharp;

namespace ScienceOfDL.NotebookRunner.Site;

/// <summary>What the browser saw on one page, and what is wrong with it.</summary>
public sealed record PageCheck(
    string Page,
    int Charts,
    int ChartsDrawn,
    int Math,
    int MathTypeset,
    int InternalLinks,
    IReadOnlyList<string> Problems
)
{
    /// <summary>From opening the page to its last check (a slow page is one a reader waits for too).</summary>
    public TimeSpan Took { get; init; }
}

public sealed record SiteCheckResult(IReadOnlyList<PageCheck> Pages)
{
    public IEnumerable<string> Problems => Pages.SelectMany(p => p.Problems.Select(x => $"{p.Page}: {x}"));
    public bool Passed => !Problems.Any();

    public string Describe() =>
        string.Join(
            Environment.NewLine,
            Pages.Select(p =>
                $"{(p.Problems.Count == 0 ? "ok  " : "FAIL")} {p.Page}: {p.ChartsDrawn}/{p.Charts} charts drawn, "
                + $"{p.MathTypeset}/{p.Math} formulas typeset, {p.InternalLinks} internal links, {p.Took.TotalSeconds:F1} s"
                + string.Concat(p.Problems.Select(x => Environment.NewLine + "       " + x))
            )
        );
}

/// <summary>
/// Opens every page of a built site in headless Chromium from file:// and reports: console errors, uncaught
/// exceptions and failed loads; chart containers without a drawn plot (<c>.main-svg</c>); charts in the page source
/// that are not wrapped as figures; formulas KaTeX did not typeset or flagged; internal links to a missing file or
/// anchor. Each page is opened at the first of <see cref="Widths"/> (a phone) and then resized to each other one (a
/// desktop window); at every width the page must not scroll sideways and every chart must draw within its column.
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
            viewport: document.documentElement.clientWidth,
            pageWidth: document.documentElement.scrollWidth,
            // What makes the page scroll sideways (looked for only then): boxes that stick out on the right whose
            // parent does not, and the innermost elements whose content spills out of them; never what a scrolling or
            // clipping ancestor holds in.
            sticking: document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1 ? [] : (() => {
              const vw = document.documentElement.clientWidth;
              const clipped = e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement)
                                       if (getComputedStyle(a).overflowX !== 'visible') return true;
                                     return false; };
              const spills = e => getComputedStyle(e).overflowX === 'visible' && e.clientWidth > 0 &&
                                   e.scrollWidth > e.clientWidth + 1;
              const sticks = e => e.getBoundingClientRect().right > vw + 1;
              return [...document.querySelectorAll('body *')].filter(e => !clipped(e) &&
                  ((sticks(e) && !sticks(e.parentElement)) || (spills(e) && ![...e.children].some(spills))))
                .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                  (typeof e.className === 'string' && e.className ? '.' + e.className.split(' ').join('.') : ''));
            })(),
            tooWide: charts.filter(f => f.querySelector('.main-svg') &&
                f.querySelector('.main-svg').getBoundingClientRect().width > f.clientWidth + 1)
              .map(f => `${f.id} (${Math.round(f.querySelector('.main-svg').getBoundingClientRect().width)} px ` +
                `in ${f.clientWidth} px)`),
          };
        }
        """;

    /// <summary>Charts drawn, fitted to their column by site.js (data-fit) and done resizing; formulas
    /// typeset.</summary>
    const string ReadyScript = """
        () => [...document.querySelectorAll('.sodl-chart')].every(f => {
                const svg = f.querySelector('.main-svg'), plot = f.querySelector('.js-plotly-plot');
                return svg && f.dataset.fit && !f.dataset.fitting &&
                  Math.abs(svg.getBoundingClientRect().width - plot.clientWidth) <= 1;
              })
           && [...document.querySelectorAll('.math')].every(m => m.querySelector('.katex, .katex-error'))
        """;

    /// <summary>The widths (CSS pixels) every page is checked at: a phone's, then a desktop window's.</summary>
    public static readonly IReadOnlyList<int> Widths = [400, 1400];

    sealed record Facts(
        [property: JsonPropertyName("charts")] int Charts,
        [property: JsonPropertyName("undrawn")] string[] Undrawn,
        [property: JsonPropertyName("math")] int Math,
        [property: JsonPropertyName("untypeset")] string[] Untypeset,
        [property: JsonPropertyName("katexErrors")] string[] KatexErrors,
        [property: JsonPropertyName("ids")] string[] Ids,
        [property: JsonPropertyName("links")] string[] Links,
        [property: JsonPropertyName("viewport")] int Viewport,
        [property: JsonPropertyName("pageWidth")] int PageWidth,
        [property: JsonPropertyName("sticking")] string[] Sticking,
        [property: JsonPropertyName("tooWide")] string[] TooWide
    );

    const int PagesAtOnce = 4;

    static readonly Regex NewPlot = new(@"Plotly\.newPlot\(");

    public static async Task<SiteCheckResult> RunAsync(string siteDir, TimeSpan? drawTimeout = null)
    {
        siteDir = Path.GetFullPath(siteDir);
        var pages = Directory.GetFiles(siteDir, "*.html").OrderBy(p => p, StringComparer.Ordinal).ToList();
        if (pages.Count == 0)
            return new SiteCheckResult([new PageCheck(siteDir, 0, 0, 0, 0, 0, ["no pages"])]);
        await using var browser = await Chromium.LaunchAsync();
        // A few pages at a time: a page mostly waits (for plotly.js to parse, for charts to draw, or for the draw
        // timeout of a broken one), so their waits overlap; results keep the pages' order.
        // Pages are opened one at a time: four tabs requested at once once left one never announced (a 30 s timeout
        // inside NewPageAsync, seen once in a full test run).
        using var open = new SemaphoreSlim(PagesAtOnce);
        using var opening = new SemaphoreSlim(1);
        var results = await Task.WhenAll(
            pages.Select(async path =>
            {
                await open.WaitAsync();
                try
                {
                    return await VisitAsync(browser, opening, path, drawTimeout ?? TimeSpan.FromSeconds(30));
                }
                finally
                {
                    open.Release();
                }
            })
        );
        var visited = pages.Zip(results).ToDictionary(x => x.First, x => x.Second);

        var checks = new List<PageCheck>();
        foreach (var (path, (facts, problems, took)) in visited)
        {
            var internalLinks = 0;
            foreach (var href in facts.Links.Distinct())
            {
                if (!href.StartsWith("file:", StringComparison.Ordinal))
                    continue;
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
                else if (
                    fragment.Length > 0
                    && (!visited.TryGetValue(target, out var other) || !other.Facts.Ids.Contains(fragment))
                )
                    problems.Add($"link to a missing anchor: {Path.GetRelativePath(siteDir, target)}#{fragment}");
            }
            checks.Add(
                new PageCheck(
                    Path.GetFileName(path),
                    facts.Charts,
                    facts.Charts - facts.Undrawn.Length,
                    facts.Math,
                    facts.Math - facts.Untypeset.Length,
                    internalLinks,
                    problems
                )
                {
                    Took = took,
                }
            );
        }
        return new SiteCheckResult(checks);
    }

    static async Task<(Facts Facts, List<string> Problems, TimeSpan Took)> VisitAsync(
        IBrowser browser,
        SemaphoreSlim opening,
        string path,
        TimeSpan drawTimeout
    )
    {
        var problems = new List<string>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        IPage page;
        await opening.WaitAsync();
        try
        {
            page = await browser.NewPageAsync();
        }
        finally
        {
            opening.Release();
        }
        await using var owned = page; // closed when the visit ends
        await page.SetViewportAsync(new ViewPortOptions { Width = Widths[0], Height = 900 });
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error)
                lock (problems)
                    problems.Add($"console error: {e.Message.Text}");
        };
        page.PageError += (_, e) =>
        {
            lock (problems)
                problems.Add($"uncaught error: {e.Message}");
        };
        page.RequestFailed += (_, e) =>
        {
            lock (problems)
                problems.Add($"failed to load {e.Request.Url}: {e.Request.FailureText}");
        };

        await page.GoToAsync(
            new Uri(path).AbsoluteUri,
            new NavigationOptions
            {
                WaitUntil = [WaitUntilNavigation.Load],
                Timeout = (int)TimeSpan.FromSeconds(120).TotalMilliseconds,
            }
        );
        Facts? first = null;
        var settled = true;
        foreach (var width in Widths)
        {
            if (width != Widths[0])
                await page.SetViewportAsync(new ViewPortOptions { Width = width, Height = 900 });
            // A broken chart never settles: it is waited for once, at the first width; a resize takes a moment.
            var timeout = first is null
                ? drawTimeout
                : TimeSpan.FromSeconds(Math.Min(settled ? 10 : 2, drawTimeout.TotalSeconds));
            try
            {
                await page.WaitForFunctionAsync(
                    ReadyScript,
                    new WaitForFunctionOptions { Timeout = (int)timeout.TotalMilliseconds, PollingInterval = 100 }
                );
            }
            catch (WaitTaskTimeoutException) // reported below, chart by chart
            {
                settled = false;
            }

            var facts = await page.EvaluateFunctionAsync<Facts>(FactsScript);
            lock (problems)
            {
                var at = $"at {width} px: ";
                if (first is null)
                {
                    problems.AddRange(facts.Undrawn.Select(id => $"chart {id} has no drawn plot (.main-svg)"));
                    problems.AddRange(facts.Untypeset.Select(t => $"formula not typeset: {t}"));
                    problems.AddRange(facts.KatexErrors.Select(t => $"KaTeX error: {t}"));
                    var plotCalls = NewPlot.Matches(File.ReadAllText(path)).Count;
                    if (plotCalls != facts.Charts)
                        problems.Add(
                            $"{plotCalls} Plotly.newPlot calls in the page but {facts.Charts} chart " + "containers"
                        );
                }
                if (facts.PageWidth > facts.Viewport + 1)
                    problems.Add(
                        at
                            + $"the page scrolls sideways ({facts.PageWidth} px wide in {facts.Viewport} px; "
                            + $"sticking out: {string.Join(", ", facts.Sticking)})"
                    );
                problems.AddRange(facts.TooWide.Select(c => at + $"chart {c} is wider than its column"));
            }
            first ??= facts;
        }
        lock (problems)
            return (first!, problems.ToList(), clock.Elapsed);
    }
}
