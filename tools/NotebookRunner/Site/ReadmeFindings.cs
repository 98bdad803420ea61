namespace ScienceOfDL.NotebookRunner.Site;

/// <summary>
/// The README's table of findings, written from the site's pages: between the markers <see cref="Start"/> and
/// <see cref="End"/>, one row per notebook with the one-line finding its cells computed. Built from a full-mode run
/// (./build-site.sh), so the README's headline numbers are the committed full-mode results, never typed by hand.
/// </summary>
public static class ReadmeFindings
{
    public const string Start = "<!-- findings:start (written by ./build-site.sh from the full-mode run) -->";
    public const string End = "<!-- findings:end -->";

    public static string Rewrite(string readme, IEnumerable<NotebookPage> pages)
    {
        var (start, end) = (
            readme.IndexOf(Start, StringComparison.Ordinal),
            readme.IndexOf(End, StringComparison.Ordinal)
        );
        if (start < 0 || end < start)
            throw new InvalidOperationException($"the README has no findings block ({Start} ... {End})");
        var list = pages.ToList();
        var missing = list.Where(p => p.Finding is null).Select(p => p.Name).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException($"no computed finding (Finding.Of) in {string.Join(", ", missing)}");
        var rows = list.Select(p => $"| [`{p.Name}`](site/{p.FileName}) | {Escape(p.Finding!)} |");
        var table = string.Join(
            "\n",
            ["| notebook | what it found (full mode, computed by its cells) |", "|---|---|", .. rows]
        );
        return readme[..(start + Start.Length)] + "\n" + table + "\n" + readme[end..];
    }

    /// <summary>At most this many words and numbers in a README finding (issue 30: a line a listener reads at a
    /// glance).</summary>
    public const int MaxWords = 30,
        MaxNumbers = 3;

    static readonly System.Text.RegularExpressions.Regex Number = new(@"\d+(?:[.,]\d+)*");

    /// <summary>What makes a finding too long for the README's table (nothing if it fits): words counted as a page's
    /// (<see cref="PageReading"/>); numbers are runs of digits ("0.861", "3,481", "34×").</summary>
    public static IReadOnlyList<string> Problems(string finding)
    {
        var words = PageReading.Words(finding);
        var numbers = Number.Matches(finding).Count;
        var problems = new List<string>();
        if (words > MaxWords)
            problems.Add($"{words} words (at most {MaxWords})");
        if (numbers > MaxNumbers)
            problems.Add($"{numbers} numbers (at most {MaxNumbers})");
        return problems;
    }

    static string Escape(string text) => text.Replace("|", "\\|").Replace("\n", " ");
}
