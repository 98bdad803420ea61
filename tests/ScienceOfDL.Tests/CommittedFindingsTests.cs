extern alias runner;
using System.Net;
using System.Text.RegularExpressions;
using runner::ScienceOfDL.NotebookRunner.Site;

namespace ScienceOfDL.Tests;

/// <summary>
/// The README's headline findings are the committed full-mode site's computed findings, word for word: a row typed or
/// edited by hand, or a site rebuilt without rewriting the README (./build-site.sh does both), fails here.
/// </summary>
public class CommittedFindingsTests
{
    static readonly string Root = Repository.Root();

    [Fact]
    public void Every_notebook_has_one_readme_finding_equal_to_the_one_its_committed_page_computed()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        var (start, end) = (
            readme.IndexOf(ReadmeFindings.Start, StringComparison.Ordinal),
            readme.IndexOf(ReadmeFindings.End, StringComparison.Ordinal)
        );
        Assert.True(start >= 0 && end > start, "README.md has no findings block");
        var rows = Regex
            .Matches(
                readme[start..end],
                @"^\| \[`(?<name>[^`]+)`\]\(site/[^)]+\) \| (?<text>.+) \|$",
                RegexOptions.Multiline
            )
            .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["text"].Value.Replace("\\|", "|"));
        var notebooks = Directory
            .GetFiles(Path.Combine(Root, "notebooks"), "*.ipynb")
            .Select(f => Path.GetFileNameWithoutExtension(f)!)
            .Order()
            .ToList();
        Assert.Equal(notebooks, rows.Keys.Order().ToList());
        foreach (var name in notebooks)
        {
            var page = File.ReadAllText(Path.Combine(Root, "site", name + ".html"));
            var found = Regex.Match(page, "<p class=\"sodl-finding\"[^>]*>(?<text>[^<]*)</p>");
            Assert.True(found.Success, $"site/{name}.html has no computed finding");
            Assert.Equal(WebUtility.HtmlDecode(found.Groups["text"].Value).Trim(), rows[name!]);
        }
        var tooLong = rows.Select(r => (r.Key, Problems: ReadmeFindings.Problems(r.Value)))
            .Where(r => r.Problems.Count > 0)
            .Select(r => $"{r.Key}: {string.Join(", ", r.Problems)}")
            .ToList();
        Assert.True(tooLong.Count == 0, "Findings a listener reads at a glance: " + string.Join("; ", tooLong));
    }

    [Theory]
    [InlineData("the network generalises 34× later than it memorises; both cost the same at 324 pairs", true)]
    [InlineData("CCS 0.861 [0.830, 0.887] on 560 test pairs", false)]
    [InlineData(
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
            + "seventeen eighteen nineteen twenty twenty-one twenty-two twenty-three twenty-four twenty-five twenty-six "
            + "twenty-seven twenty-eight twenty-nine thirty thirty-one",
        false
    )]
    public void A_finding_fits_the_readme_with_at_most_30_words_and_3_numbers(string finding, bool fits) =>
        Assert.Equal(fits, ReadmeFindings.Problems(finding).Count == 0);
}
