using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ScienceOfDL.Tests;

/// <summary>No line of the library or of a notebook's code and markdown is longer than 120 characters, so a reader sees
/// each one whole in Jupyter, VS Code and a side-by-side diff.</summary>
public class LineLengthTests
{
    const int Limit = 120;
    static readonly string Root = Repository.Root();

    [Fact]
    public void Library_lines_fit_in_120_characters()
    {
        var files = Directory
            .EnumerateFiles(Path.Combine(Root, "lib"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"));
        var long_ = files
            .SelectMany(f => File.ReadAllLines(f).Select((l, i) => (f, i, l)))
            .Where(x => x.l.Length > Limit)
            .Select(x => $"{Path.GetRelativePath(Root, x.f)}:{x.i + 1} ({x.l.Length})")
            .ToList();
        Assert.True(long_.Count == 0, string.Join("\n", long_));
    }

    /// <summary>Code and markdown cells alike. The one exception is a markdown link reference definition
    /// (<c>[label]: url</c>): a URL cannot be wrapped, and keeping it there keeps the prose that cites it short.</summary>
    [Fact]
    public void Notebook_lines_fit_in_120_characters()
    {
        var long_ = new List<string>();
        foreach (var path in Directory.GetFiles(Path.Combine(Root, "notebooks"), "*.ipynb"))
        {
            var cells = JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray();
            foreach (var (cell, c) in cells.Select((cell, c) => (cell!, c)))
            {
                var markdown = (string?)cell["cell_type"] == "markdown";
                var source = string.Concat(cell["source"]!.AsArray().Select(s => (string?)s));
                long_.AddRange(
                    source
                        .Split('\n')
                        .Where(l => l.Length > Limit && !(markdown && IsLinkDefinition(l)))
                        .Select(l => $"{Path.GetFileName(path)} cell {c}: {l}")
                );
            }
        }
        Assert.True(long_.Count == 0, string.Join("\n", long_));
    }

    static bool IsLinkDefinition(string line) => Regex.IsMatch(line, @"^\[[^\]]+\]: \S+$");

    [Fact]
    public void A_link_definition_is_the_only_long_markdown_line_allowed()
    {
        Assert.True(IsLinkDefinition("[0:09:54]: https://axrp.net/episode/" + new string('x', 120)));
        Assert.False(IsLinkDefinition("[0:09:54]: https://axrp.net/ and then prose " + new string('x', 120)));
        Assert.False(IsLinkDefinition("Some prose [with a link](https://axrp.net/" + new string('x', 120) + ")"));
    }
}
