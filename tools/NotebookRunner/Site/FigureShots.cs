using PuppeteerSharp;

namespace ScienceOfDL.NotebookRunner.Site;

/// <summary>One README figure: which chart of which notebook page, saved as which PNG.</summary>
public sealed record FigureSpec(string File, string Notebook, string Chart);

/// <summary>
/// PNG images of chosen charts, taken by headless Chromium from the built site's pages, so the README shows the same
/// charts the site draws. The list is a small text file, one figure a line: <c>file.png | notebook | chart</c>,
/// where chart is a figure id on that page (<c>fig-3</c>) or a piece of the chart's title; <c>#</c> starts a comment.
/// </summary>
public static class FigureShots
{
    public static List<FigureSpec> ReadList(string listFile)
    {
        var specs = new List<FigureSpec>();
        foreach (var (line, n) in File.ReadAllLines(listFile).Select((l, i) => (l.Split('#')[0].Trim(), i + 1)))
        {
            if (line.Length == 0)
                continue;
            var parts = line.Split('|', StringSplitOptions.TrimEntries);
            if (
                parts.Length != 3
                || parts.Any(p => p.Length == 0)
                || !parts[0].EndsWith(".png", StringComparison.Ordinal)
            )
                throw new FormatException($"{listFile}:{n}: expected 'file.png | notebook | chart', got '{line}'");
            specs.Add(new FigureSpec(parts[0], parts[1], parts[2]));
        }
        return specs;
    }

    /// <summary>The figure id on <paramref name="page"/> that <paramref name="chart"/> names; throws, listing the
    /// page's charts, when none or several match.</summary>
    public static string Resolve(NotebookPage page, string chart)
    {
        if (page.Charts.FirstOrDefault(c => c.Id == chart) is { } byId)
            return byId.Id;
        var matches = page.Charts.Where(c => c.Title.Contains(chart, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count switch
        {
            1 => matches[0].Id,
            0 => throw new ArgumentException(
                $"{page.Name} has no chart '{chart}'. Its charts: "
                    + string.Join("; ", page.Charts.Select(c => $"{c.Id} \"{c.Title}\""))
            ),
            _ => throw new ArgumentException(
                $"'{chart}' matches {matches.Count} charts of {page.Name}: "
                    + string.Join("; ", matches.Select(c => $"{c.Id} \"{c.Title}\""))
                    + "; use a figure id"
            ),
        };
    }

    /// <summary>Screenshots each listed chart from the site into <paramref name="outDir"/>; returns the files
    /// written.</summary>
    public static async Task<List<string>> RenderAsync(SiteSummary site, IReadOnlyList<FigureSpec> specs, string outDir)
    {
        Directory.CreateDirectory(outDir);
        var targets = specs
            .Select(s =>
            {
                var page = site.Pages.FirstOrDefault(p =>
                    p.Name == s.Notebook || p.Name.StartsWith(s.Notebook + "-", StringComparison.Ordinal)
                ) ?? throw new ArgumentException($"no notebook page '{s.Notebook}' for {s.File}");
                return (Spec: s, Page: page, Id: Resolve(page, s.Chart));
            })
            .ToList();

        var written = new List<string>();
        await using var browser = await Chromium.LaunchAsync();
        foreach (var group in targets.GroupBy(t => t.Page))
        {
            await using var tab = await browser.NewPageAsync();
            // 2x pixels: sharp on high-density screens, still small files.
            await tab.SetViewportAsync(
                new ViewPortOptions
                {
                    Width = 1100,
                    Height = 900,
                    DeviceScaleFactor = 2,
                }
            );
            await tab.GoToAsync(
                new Uri(Path.Combine(site.Folder, group.Key.FileName)).AbsoluteUri,
                new NavigationOptions { WaitUntil = [WaitUntilNavigation.Load], Timeout = 120_000 }
            );
            // A figure is the chart alone: no hover toolbar.
            await tab.AddStyleTagAsync(
                new AddTagOptions { Content = ".modebar-container { display: none !important; }" }
            );
            foreach (var t in group)
            {
                // The first .main-svg is the plot at the size its layout asks for (the container may be taller).
                var selector = $"#{t.Id} .main-svg";
                await tab.WaitForSelectorAsync(selector, new WaitForSelectorOptions { Timeout = 30_000 });
                var element = await tab.QuerySelectorAsync(selector)
                    ?? throw new InvalidOperationException($"{selector} not found");
                var file = Path.Combine(outDir, t.Spec.File);
                await element.ScreenshotAsync(file);
                written.Add(file);
            }
        }
        return written;
    }
}
