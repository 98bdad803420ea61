extern alias runner;
using runner::ScienceOfDL.NotebookRunner;

namespace ScienceOfDL.Tests;

/// <summary>The runner's command-line decisions, without running a notebook: ambiguous names, SODL_PARAMS beside -p,
/// unusable artifacts folders and how a timeout is printed (issue 32).</summary>
public class RunnerCommandLineTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("sodl-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static readonly string[] Six =
    [
        "00-start-here",
        "01-ccs",
        "02-banana-shed",
        "03-ccs-as-pca",
        "04-circuit-efficiency",
        "05-ungrokking",
    ];
    static readonly List<string> Available = Six.Select(n => Path.Combine("/nb", n + ".ipynb")).ToList();

    [Theory]
    [InlineData(1, "1 s")]
    [InlineData(90, "90 s")]
    [InlineData(125, "2 min 5 s")]
    [InlineData(900, "15 min")]
    [InlineData(4 * 3600, "4 h")]
    public void A_timeout_is_printed_as_given_never_rounded_to_zero(int seconds, string expected) =>
        Assert.Equal(expected, CommandLine.Describe(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void A_prefix_that_several_notebooks_share_is_ambiguous_and_says_which()
    {
        var (path, error) = CommandLine.Resolve("0", Available);
        Assert.Null(path);
        Assert.Equal(
            "'0' is ambiguous: 6 notebooks begin with it (" + string.Join(", ", Six) + "); give more of the name.",
            error
        );
        Assert.Contains(
            "2 notebooks begin with it (03-ccs-as-pca, 04-circuit-efficiency)",
            CommandLine.Resolve("0", Available.Skip(3).Take(2).ToList()).Error
        );
        Assert.Equal(Available[4], CommandLine.Resolve("04", Available).Path);
        Assert.Equal(Available[1], CommandLine.Resolve("01-ccs.ipynb", Available).Path);
        Assert.StartsWith(
            "no notebook '9'. Available: 00-start-here, 01-ccs",
            CommandLine.Resolve("9", Available).Error
        );
    }

    [Fact]
    public void SODL_PARAMS_is_merged_with_the_p_options_and_a_conflict_is_refused()
    {
        var merged = CommandLine.Overrides("bogus=1; steps=5", ["lr=0.1", "steps=5"], out var fromEnvironment);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["bogus"] = "1",
                ["steps"] = "5",
                ["lr"] = "0.1",
            },
            merged
        );
        Assert.Equal(["bogus"], fromEnvironment);
        var e = Assert.Throws<ArgumentException>(() => CommandLine.Overrides("steps=5", ["steps=6"], out _));
        Assert.Contains("parameter 'steps' is given twice: steps=5 in SODL_PARAMS and -p steps=6", e.Message);
        Assert.StartsWith(
            "SODL_PARAMS: ",
            Assert.Throws<FormatException>(() => CommandLine.Overrides("steps", [], out _)).Message
        );
        Assert.Empty(CommandLine.Overrides(null, [], out _));
    }

    [Fact]
    public void An_artifacts_folder_inside_a_file_is_refused_with_the_reason()
    {
        var file = Path.Combine(_dir, "a-file");
        File.WriteAllText(file, "");
        Assert.StartsWith(
            $"cannot write to {Path.Combine(file, "sub")}: ",
            CommandLine.CannotWrite(Path.Combine(file, "sub"))
        );
        Assert.StartsWith($"cannot write to {file}: ", CommandLine.CannotWrite(file));
        if (OperatingSystem.IsLinux()) // unwritable even for root
            Assert.NotNull(CommandLine.CannotWrite("/proc/sodl-artifacts"));
        Assert.Null(CommandLine.CannotWrite(Path.Combine(_dir, "new", "folder")));
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir, "new", "folder"))); // the probe is gone
    }
}
