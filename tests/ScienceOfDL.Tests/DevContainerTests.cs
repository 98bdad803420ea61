using System.Text.Json;
using System.Text.RegularExpressions;

namespace ScienceOfDL.Tests;

/// <summary>The no-install way to run the notebooks (.devcontainer/devcontainer.json, for GitHub Codespaces or VS
/// Code's Dev Containers): valid JSON with comments, the .NET SDK, the Polyglot Notebooks extension, and a post-create step
/// that is the project's own setup plus the build the notebooks load.</summary>
public class DevContainerTests
{
    static readonly string Root = Repository.Root();

    static JsonElement Definition()
    {
        var text = File.ReadAllText(Path.Combine(Root, ".devcontainer", "devcontainer.json"));
        // devcontainer.json is JSONC: comments and trailing commas are allowed.
        using var doc = JsonDocument.Parse(
            text,
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }
        );
        return doc.RootElement.Clone();
    }

    [Fact]
    public void Names_the_dotnet_10_sdk_and_the_polyglot_notebooks_extension()
    {
        var definition = Definition();
        var image = definition.TryGetProperty("image", out var i) ? i.GetString() ?? "" : "";
        var features = definition.TryGetProperty("features", out var f)
            ? f.EnumerateObject().Select(p => p.Name + " " + p.Value.GetRawText()).ToList()
            : [];
        var sdkFromImage = Regex.IsMatch(
            image,
            @"^mcr\.microsoft\.com/(devcontainers|dotnet)/(dotnet|sdk):(\d+-)?10\.0"
        );
        var sdkFromFeature = features.Any(x => x.Contains("devcontainers/features/dotnet") && x.Contains("10.0"));
        Assert.True(sdkFromImage || sdkFromFeature, $"no .NET 10 SDK in image '{image}' or features");
        var extensions = definition
            .GetProperty("customizations")
            .GetProperty("vscode")
            .GetProperty("extensions")
            .EnumerateArray()
            .Select(e => e.GetString())
            .ToList();
        Assert.Contains("ms-dotnettools.dotnet-interactive-vscode", extensions);
    }

    [Fact]
    public void Its_post_create_step_is_the_projects_setup_script_and_the_build_the_notebooks_load()
    {
        var command = Definition().GetProperty("postCreateCommand").GetString()!;
        var setup = Regex.Match(command, @"source (?<script>\S+\.sh)").Groups["script"].Value;
        Assert.Equal("scripts/setup.sh", setup);
        Assert.True(File.Exists(Path.Combine(Root, setup)));
        // The script the README's commands run first: each of them sources it.
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        foreach (var documented in new[] { "run-notebooks.sh", "test.sh" })
        {
            Assert.Contains("./" + documented, readme);
            Assert.Contains(
                "source \"$(dirname \"$0\")/scripts/setup.sh\"",
                File.ReadAllText(Path.Combine(Root, documented))
            );
        }
        // The notebooks' first cell loads lib/bin/ScienceOfDL.dll: the step builds it (the solution builds lib).
        Assert.Matches(@"&& dotnet build ScienceOfDL\.slnx -c Release\b", command);
        Assert.True(File.Exists(Path.Combine(Root, "ScienceOfDL.slnx")));
    }
}
