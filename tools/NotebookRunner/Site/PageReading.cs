using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace ScienceOfDL.NotebookRunner.Site;

/// <summary>What a reader meets on a page, counted from its HTML (see <see cref="PageReading"/>).</summary>
/// <param name="WordsBeforeFirstChart">words shown before the first chart (all of them if there is none)</param>
/// <param name="WordsShown">words outside closed <c>&lt;details&gt;</c>: what a reader sees without unfolding</param>
/// <param name="Formulas">typeset formulas (KaTeX <c>.math</c> elements)</param>
/// <param name="HasWhatYouWillSee">the page has a "What you will see" block before its first chart</param>
/// <param name="FindingBeforeFirstChart">the page's finding (<c>.sodl-finding</c>) comes before its first
/// chart</param>
/// <param name="MachinePaths">absolute paths of a machine found anywhere in the page's HTML</param>
public sealed record ReadingFacts(
    string Page,
    int WordsBeforeFirstChart,
    int WordsShown,
    int Formulas,
    bool HasWhatYouWillSee,
    bool FindingBeforeFirstChart,
    IReadOnlyList<string> MachinePaths
);

/// <summary>The limits issue 30 sets for a notebook page.</summary>
public sealed record ReadingLimits(int WordsBeforeFirstChart = 400, int WordsShown = 2500, int MinFormulas = 1);

/// <summary>
/// Counts what a reader meets on a built page, without a browser: words before the first chart, words outside closed
/// <c>&lt;details&gt;</c>, typeset formulas, where the finding sits, machine paths; and checks them against
/// <see cref="ReadingLimits"/>.
/// <para>A word is a whitespace-separated token with a letter or a digit in it, in the page's <c>main</c> element:
/// prose, outputs (tables, printed lines) and captions count; code cells, scripts and the inside of a closed
/// <c>&lt;details&gt;</c> (its summary line does count) do not. A formula's TeX source counts as one word.</para>
/// </summary>
public static class PageReading
{
    static readonly HashSet<string> Inline =
    [
        "a",
        "abbr",
        "b",
        "cite",
        "code",
        "em",
        "i",
        "kbd",
        "mark",
        "q",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "u",
        "var",
    ];

    public static ReadingFacts Read(string pageName, string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        var main = document.QuerySelector("main") ?? document.Body!;
        var firstChart = main.QuerySelector(".sodl-chart");
        var before = new StringBuilder();
        var shown = new StringBuilder();
        var seenChart = false;
        void Walk(INode node)
        {
            if (node is IText text)
            {
                shown.Append(text.Data);
                if (!seenChart)
                    before.Append(text.Data);
                return;
            }
            if (node is not IElement e)
                return;
            if (e.LocalName is "script" or "style" or "template" || e.HasAttribute("hidden"))
                return;
            if (e.LocalName == "details" && e.ClassList.Contains("code"))
                return; // a code cell
            if (e == firstChart)
                seenChart = true;
            var closed = e.LocalName == "details" && !e.HasAttribute("open");
            // Inline elements join their text to the neighbours' (x<sub>i</sub> is one word); others separate it.
            var gap = Inline.Contains(e.LocalName) ? "" : " ";
            shown.Append(gap);
            if (!seenChart)
                before.Append(gap);
            foreach (var child in e.ChildNodes)
                if (!closed || child is IElement { LocalName: "summary" })
                    Walk(child);
            shown.Append(gap);
            if (!seenChart)
                before.Append(gap);
        }
        Walk(main);

        var finding = main.QuerySelector(".sodl-finding");
        var whatYouWillSee = main.QuerySelector("." + NotebookPageRenderer.WhatYouWillSeeClass);
        return new ReadingFacts(
            pageName,
            Words(before.ToString()),
            Words(shown.ToString()),
            main.QuerySelectorAll(".math").Length,
            whatYouWillSee is not null && Precedes(whatYouWillSee, firstChart),
            finding is not null && Precedes(finding, firstChart),
            Site.MachinePaths.Find(html)
        );
    }

    /// <summary>What is wrong with a page, in words a page's author can act on.</summary>
    public static IReadOnlyList<string> Problems(ReadingFacts facts, ReadingLimits? limits = null)
    {
        limits ??= new ReadingLimits();
        var problems = new List<string>();
        if (!facts.HasWhatYouWillSee)
            problems.Add("no \"What you will see\" block before the first chart");
        if (!facts.FindingBeforeFirstChart)
            problems.Add("the finding (.sodl-finding) does not come before the first chart");
        if (facts.WordsBeforeFirstChart > limits.WordsBeforeFirstChart)
            problems.Add(
                $"{facts.WordsBeforeFirstChart} words before the first chart (at most "
                    + $"{limits.WordsBeforeFirstChart})"
            );
        if (facts.WordsShown > limits.WordsShown)
            problems.Add($"{facts.WordsShown} words outside closed <details> (at most {limits.WordsShown})");
        if (facts.Formulas < limits.MinFormulas)
            problems.Add($"{facts.Formulas} typeset formulas (at least {limits.MinFormulas})");
        if (facts.MachinePaths.Count > 0)
            problems.Add("absolute machine paths: " + string.Join(", ", facts.MachinePaths));
        return problems;
    }

    /// <summary>The named pages of a built site, each with its problems.</summary>
    public static IReadOnlyList<(ReadingFacts Facts, IReadOnlyList<string> Problems)> CheckSite(
        string siteDir,
        IEnumerable<string> pageNames,
        ReadingLimits? limits = null
    ) =>
        pageNames
            .Select(name =>
            {
                var facts = Read(name, File.ReadAllText(Path.Combine(siteDir, name)));
                return (facts, Problems(facts, limits));
            })
            .ToList();

    public static string Describe(ReadingFacts f) =>
        $"{f.Page}: {f.WordsBeforeFirstChart} words before the first chart, {f.WordsShown} shown, "
        + $"{f.Formulas} formulas, what-you-will-see {(f.HasWhatYouWillSee ? "first" : "missing or late")}, "
        + $"finding {(f.FindingBeforeFirstChart ? "first" : "missing or late")}, {f.MachinePaths.Count} machine paths";

    /// <summary>Words as this page counts them: whitespace-separated tokens with a letter or a digit in them.</summary>
    internal static int Words(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Count(t => t.Any(char.IsLetterOrDigit));

    /// <summary>Whether <paramref name="a"/> comes before <paramref name="b"/> in the document (always, if there is
    /// no <paramref name="b"/>).</summary>
    static bool Precedes(INode a, INode? b) =>
        b is null || a.CompareDocumentPosition(b).HasFlag(DocumentPositions.Following);
}
