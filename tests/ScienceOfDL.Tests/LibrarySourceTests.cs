using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using ScienceOfDL.Ccs.Probing;
using ScienceOfDL.Grokking;
using ScienceOfDL.Notebooks;
using ScienceOfDL.Statistics;

namespace ScienceOfDL.Tests;

public class LibrarySourceTests
{
    static readonly string Lib = Path.Combine(Repository.Root(), "lib");

    static string[] DiskLines(string file) =>
        File.ReadAllText(Path.Combine(Lib, file)).Replace("\r\n", "\n").Split('\n');

    /// <summary>Each shown line is the line with that number in the file in lib/.</summary>
    static void AssertVerbatim(SourceCode code)
    {
        var disk = DiskLines(code.File);
        Assert.NotEmpty(code.Lines);
        Assert.All(code.Lines, l => Assert.Equal(disk[l.Number - 1], l.Text));
    }

    [Fact]
    public void The_embedded_source_is_the_source_in_lib()
    {
        var onDisk = Directory
            .GetFiles(Lib, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Lib, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("bin/") && !f.StartsWith("obj/") && !f.StartsWith("Notebooks/"))
            .Order(StringComparer.Ordinal)
            .ToArray(); // the science's source; the notebook adapter's is not shown
        Assert.Equal(onDisk, LibrarySource.Files);
        Assert.All(onDisk, f => Assert.Equal(File.ReadAllText(Path.Combine(Lib, f)), LibrarySource.Text(f)));
    }

    [Fact]
    public void The_ccs_loss_shows_exactly_its_declarations()
    {
        var total = LibrarySource.Of(typeof(CcsLoss), "Total");
        AssertVerbatim(total);
        Assert.Equal("Ccs/Probing/CcsLoss.cs", total.File);
        Assert.StartsWith("    public static Tensor Total(", total.Text);
        Assert.EndsWith("Consistency(pPos, pNeg) + Confidence(pPos, pNeg, term);", total.Text);

        // Several members, in file order, each with its doc comment; calls inside Total do not count as declarations.
        var three = LibrarySource.Of(typeof(CcsLoss), "Total", "Consistency", "Confidence");
        AssertVerbatim(three);
        var text = three.Text;
        Assert.True(
            text.IndexOf("Tensor Consistency(", StringComparison.Ordinal)
                < text.IndexOf("Tensor Confidence(", StringComparison.Ordinal)
        );
        Assert.Contains("/// <summary>Consistency:", text);
        Assert.Contains("return low.square().mean(new long[] { -1 });\n    }", text);
        Assert.DoesNotContain("AverageConfidence", text);
        Assert.Equal(3, text.Split("public static Tensor").Length - 1);
    }

    [Fact]
    public void The_transformer_forward_pass_is_shown_whole()
    {
        var forward = LibrarySource.Of(typeof(Transformer), "Forward");
        AssertVerbatim(forward);
        Assert.StartsWith("    /// <summary>Logits (N, outputs)", forward.Text);
        Assert.Contains("public Tensor Forward(Tensor tokens, Activations? capture = null)", forward.Text);
        Assert.Contains("var logits = residFinal.matmul(W_U);", forward.Text);
        Assert.EndsWith("        return logits;\n    }", forward.Text);
        Assert.DoesNotContain("Dispose", forward.Text);
        Assert.Contains("lib/Grokking/Model/Transformer.cs, lines", forward.ToHtml());
        Assert.Contains("=&gt;", LibrarySource.Of(typeof(CcsLoss), "Total").ToHtml());
    }

    [Fact]
    public void Types_overloads_and_properties_are_found()
    {
        var interval = LibrarySource.Of(typeof(Interval));
        AssertVerbatim(interval);
        Assert.StartsWith("/// <summary>An estimate", interval.Text);
        Assert.EndsWith("}", interval.Text);
        Assert.Equal(DiskLines("Statistics/Interval.cs").Length - 1, interval.Lines[^1].Number);

        var wilson = LibrarySource.Of(typeof(Proportion), "Wilson"); // two overloads
        AssertVerbatim(wilson);
        Assert.Equal(2, wilson.Text.Split("public static Interval Wilson(").Length - 1);

        var width = LibrarySource.Of(typeof(Interval), "Width");
        Assert.Equal("    public double Width => Upper - Lower;", Assert.Single(width.Lines).Text);

        Assert.Throws<ArgumentException>(() => LibrarySource.Of(typeof(CcsLoss), "NoSuchMember"));
    }

    [Fact]
    public void Every_public_method_of_the_library_is_found_with_its_body()
    {
        var problems = new List<string>();
        var types = typeof(Results.ResultsStore).Assembly.GetExportedTypes().Where(t => !t.IsNested);
        const BindingFlags declared =
            BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        foreach (var type in types)
        foreach (
            var name in type.GetMethods(declared)
                .Where(m => !m.IsSpecialName && !m.IsDefined(typeof(CompilerGeneratedAttribute), false))
                .Select(m => m.Name)
                .Distinct()
        )
        {
            try
            {
                var code = LibrarySource.Of(type, name);
                AssertVerbatim(code);
                // A comment after the last statement (a quote after "//" means it sits in a string instead).
                var text = Regex.Replace(code.Text, @"\s*//[^\n""]*$", "");
                if (!Regex.IsMatch(text, $@"\b{name}\s*[(<]"))
                    problems.Add($"{type.Name}.{name}: no declaration in {text[..Math.Min(80, text.Length)]}");
                if (!(text.EndsWith('}') || text.EndsWith(';')))
                    problems.Add($"{type.Name}.{name}: ends '{text[^20..]}'");
            }
            catch (ArgumentException e)
            {
                problems.Add($"{type.Name}.{name}: {e.Message}");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_lexer_skips_braces_in_strings_chars_and_comments()
    {
        var code =
            "var a = $\"{x:F2} {{ \\\" }\"; var b = '{'; // {\n"
            + "var c = @\"}\"\"\"; /* } */ var d = \"\"\"\n}\n\"\"\"; {}";
        var mask = CSharpText.CodeMask(code);
        var codeBraces = code.Select((c, i) => (c, i)).Where(t => t.c is '{' or '}' && mask[t.i]).ToArray();
        Assert.Equal(2, codeBraces.Length);
        Assert.Equal(code.Length - 2, codeBraces[0].i);
    }
}
