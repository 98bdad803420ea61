namespace ScienceOfDL.NotebookRunner.Site;

/// <summary>
/// The runner's <c>site</c> command (behind ./build-site.sh), and the site build that follows every notebook run.
/// </summary>
public static class SiteCommand
{
    public const string Usage = """
        NotebookRunner site [--artifacts DIR] [--out DIR] [--figures LIST] [--readme FILE] [--check] [--require-full]
          Builds the read-along site from the executed notebooks under DIR (default artifacts/) without running them.
          --out DIR        where the site goes (default: <artifacts>/site); a folder the builder did not make is refused
          --figures LIST   also saves the charts LIST names as PNG beside LIST (lines 'file.png | notebook | chart')
          --readme FILE    rewrites FILE's findings block: each notebook's computed one-line finding
          --check          opens every page in headless Chromium; exits 1 on any problem
          --require-full   refuses unless every notebook was executed, in full mode (for the committed site)
          --reading        prints what a reader meets on each notebook page (words before the first chart, words
                           outside closed <details>, formulas) and what breaks issue 30's limits; exits 1 on a problem
        """;

    public static int Run(string root, string[] args)
    {
        var artifacts = Path.Combine(root, "artifacts");
        string? outDir = null,
            figures = null,
            readme = null;
        bool check = false,
            requireFull = false,
            reading = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--artifacts" when i + 1 < args.Length:
                    artifacts = Path.GetFullPath(args[++i]);
                    break;
                case "--out" when i + 1 < args.Length:
                    outDir = Path.GetFullPath(args[++i]);
                    break;
                case "--figures" when i + 1 < args.Length:
                    figures = Path.GetFullPath(args[++i]);
                    break;
                case "--readme" when i + 1 < args.Length:
                    readme = Path.GetFullPath(args[++i]);
                    break;
                case "--check":
                    check = true;
                    break;
                case "--require-full":
                    requireFull = true;
                    break;
                case "--reading":
                    reading = true;
                    break;
                case "-h" or "--help":
                    Console.WriteLine(Usage);
                    return 0;
                default:
                    Console.Error.WriteLine($"error: unknown argument '{args[i]}'\n{Usage}");
                    return 2;
            }
        }

        SiteSummary site;
        try
        {
            site = SiteBuilder.Build(
                Path.Combine(root, "notebooks"),
                artifacts,
                outDir ?? Path.Combine(artifacts, SiteBuilder.SiteFolder),
                requireFull
            );
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            Console.Error.WriteLine($"error: the site was not built: {e.Message}");
            return 1;
        }
        Console.WriteLine(site.Describe());
        if (figures is not null)
        {
            var written = FigureShots
                .RenderAsync(site, FigureShots.ReadList(figures), Path.GetDirectoryName(figures)!)
                .GetAwaiter()
                .GetResult();
            foreach (var f in written)
                Console.WriteLine($"Figure: {Path.GetRelativePath(root, f)} ({new FileInfo(f).Length / 1024} KiB)");
        }
        if (readme is not null)
        {
            File.WriteAllText(readme, ReadmeFindings.Rewrite(File.ReadAllText(readme), site.Pages));
            Console.WriteLine($"README findings: {site.Pages.Count(p => p.Finding is not null)} notebooks");
        }
        var readingPassed = !reading || PrintReading(site);
        if (!check)
            return readingPassed ? 0 : 1;
        var result = SiteCheck.RunAsync(site.Folder).GetAwaiter().GetResult();
        Console.WriteLine(result.Describe());
        return result.Passed && readingPassed ? 0 : 1;
    }

    /// <summary>Prints <see cref="PageReading"/>'s facts and problems for each numbered notebook page (not 00, the
    /// start page); true if no page has a problem.</summary>
    static bool PrintReading(SiteSummary site)
    {
        var pages = site
            .Pages.Where(p =>
                p.Executed && char.IsDigit(p.Name[0]) && !p.Name.StartsWith("00", StringComparison.Ordinal)
            )
            .Select(p => p.FileName);
        var checkedPages = PageReading.CheckSite(site.Folder, pages);
        foreach (var (facts, problems) in checkedPages)
        {
            Console.WriteLine("Reading: " + PageReading.Describe(facts));
            foreach (var problem in problems)
                Console.WriteLine("  problem: " + problem);
        }
        return checkedPages.All(p => p.Problems.Count == 0);
    }

    /// <summary>After a notebook run: rebuild <c>&lt;artifacts&gt;/site</c> from whatever is executed there.
    /// Returns false (and says why) if the build fails; the notebooks' own results stand either way.</summary>
    public static bool BuildAfterRun(string root, string artifacts)
    {
        try
        {
            using var held = SiteAssets.LockSite(artifacts);
            var site = SiteBuilder.Build(
                Path.Combine(root, "notebooks"),
                artifacts,
                Path.Combine(artifacts, SiteBuilder.SiteFolder)
            );
            Console.WriteLine(site.Describe());
            return true;
        }
        catch (Exception e)
            when (e
                    is IOException
                        or UnauthorizedAccessException
                        or FormatException
                        or InvalidOperationException
                        or System.Text.Json.JsonException
            )
        {
            Console.Error.WriteLine($"error: the site was not built: {e.Message}");
            return false;
        }
    }
}
