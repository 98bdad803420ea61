using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;

namespace ScienceOfDL.Notebooks;

/// <summary>One knob of a notebook's parameters cell: <c>int steps = Pick(quick: 1000, full: 40000); // training
/// steps</c>.</summary>
public sealed record NotebookParameter(string Name, string Type, string Initializer, string Comment);

/// <summary>
/// The parameters cell (the papermill convention: the second code cell, tagged <c>parameters</c>, first line
/// <c>// Parameters</c>) holds every knob a reader would turn, one typed declaration per line with a comment. Overrides
/// (<c>./run-notebooks.sh 04 -p steps=2000 -p weightDecays=1,3</c>, or the variable <c>SODL_PARAMS="steps=2000;
/// weightDecays=1,3"</c> in any host) are checked against the declared names and types here, and turned into C#
/// assignments that run right after the cell. This file has no dependencies: the runner compiles it too.
/// </summary>
public static class NotebookParameters
{
    public const string Marker = "// Parameters";
    public const string Variable = "SODL_PARAMS";

    static readonly string[] Scalars = ["int", "long", "double", "float", "bool", "string"];
    static readonly Regex Declaration = new(
        @"^\s*(?<type>[A-Za-z]+(\?|\[\])?)\s+(?<name>[A-Za-z_]\w*)\s*=\s*(?<init>.*?);\s*(//\s*(?<comment>.*))?$"
    );

    public static bool IsParametersCell(string code) => code.TrimStart().StartsWith(Marker, StringComparison.Ordinal);

    /// <summary>The declared parameters. Refuses a cell that is not one typed declaration per line (comments and blank
    /// lines aside), a type an override could not be written in, and a parameter computed from another (an override of
    /// the first would not reach it: derived values belong in a later cell).</summary>
    public static List<NotebookParameter> Parse(string cell)
    {
        var result = new List<NotebookParameter>();
        var lines = cell.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith("//"))
                continue;
            var m = Declaration.Match(line);
            if (!m.Success)
                throw new FormatException(
                    $"parameters cell, line {i + 1}: '{line}' is not one typed declaration "
                        + "(e.g. `int steps = 1000; // training steps`)."
                );
            var (type, name) = (m.Groups["type"].Value, m.Groups["name"].Value);
            if (type == "var")
                throw new FormatException(
                    $"parameters cell, line {i
                    + 1}: '{name}' is declared with var; write its type "
                        + "(int, double[], string...) so that an override can be checked against it."
                );
            if (ElementType(type) is null)
                throw new FormatException(
                    $"parameters cell, line {i
                    + 1}: type {type} of '{name}' cannot be overridden; use "
                        + $"one of {string.Join(", ", Scalars)}, an array of these, or int?/double?."
                );
            if (result.Any(p => p.Name == name))
                throw new FormatException($"parameters cell: '{name}' is declared twice.");
            result.Add(
                new NotebookParameter(name, type, m.Groups["init"].Value.Trim(), m.Groups["comment"].Value.Trim())
            );
        }
        foreach (var p in result)
        foreach (var other in result.Where(o => o != p && Regex.IsMatch(p.Initializer, $@"(?<![\w.""]){o.Name}\b")))
            throw new FormatException(
                $"parameters cell: '{p.Name}' is computed from '{other.Name}'; an override "
                    + $"of "
                    + $"'{other.Name}' would not reach it. Put derived values in a later cell."
            );
        return result;
    }

    /// <summary>"a=1; b=2,3" (or one per line) as name → text. Refuses an entry without '=' or a name given
    /// twice.</summary>
    public static Dictionary<string, string> ParseOverrides(string? text)
    {
        var result = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(text))
            return result;
        var entries = text.Contains('\n') ? text.Split('\n') : text.Split(';');
        foreach (var raw in entries.Select(e => e.Trim()).Where(e => e.Length > 0))
        {
            var eq = raw.IndexOf('=');
            if (eq <= 0)
                throw new FormatException($"parameter override '{raw}' is not name=value.");
            var name = raw[..eq].Trim();
            if (!result.TryAdd(name, raw[(eq + 1)..].Trim()))
                throw new FormatException($"parameter '{name}' is given twice.");
        }
        return result;
    }

    /// <summary>C# statements that assign the overrides, each value checked against its declared type. An unknown name
    /// or a value of the wrong type is an <see cref="ArgumentException"/> that lists the notebook's
    /// parameters.</summary>
    public static string Assignments(
        IReadOnlyList<NotebookParameter> declared,
        IReadOnlyDictionary<string, string> overrides
    )
    {
        var code = new StringBuilder();
        foreach (var (name, text) in overrides)
        {
            var p = declared.FirstOrDefault(d => d.Name == name)
                ?? throw new ArgumentException(
                    $"This notebook has no parameter '{name}'. Its " + $"parameters:\n{Describe(declared)}"
                );
            code.Append(name).Append(" = ").Append(Literal(p, text)).Append(";\n");
        }
        return code.ToString();
    }

    /// <summary>The parameters one per line, as an error message or a help text lists them.</summary>
    public static string Describe(IEnumerable<NotebookParameter> declared) =>
        string.Join(
            "\n",
            declared.Select(p =>
                $"  {p.Name} ({p.Type}) = {p.Initializer}" + (p.Comment.Length > 0 ? $"   // {p.Comment}" : "")
            )
        );

    /// <summary>The C# literal for <paramref name="text"/> as a value of the parameter's type.</summary>
    public static string Literal(NotebookParameter p, string text)
    {
        var element = ElementType(p.Type)!;
        if (p.Type.EndsWith("[]"))
        {
            // "" (or "[]") is the empty array; an empty entry inside a list ("1,,3") is a typo, not a value to drop.
            var list = text.Trim().Trim('[', ']').Trim();
            var items = list.Length == 0 ? [] : list.Split(',', StringSplitOptions.TrimEntries);
            var empty = Array.IndexOf(items, "");
            if (empty >= 0)
                throw new ArgumentException(
                    $"Parameter '{p.Name}' is {p.Type}: '{text}' has an empty entry (entry "
                        + $"{empty + 1}); give the values separated by single commas, e.g. {p.Name}=1,3."
                );
            return $"new {element}[] {{ {string.Join(", ", items.Select(i => Scalar(p, element, i)))} }}";
        }
        if (p.Type.EndsWith('?') && text.Trim() == "null")
            return "null";
        return Scalar(p, element, text);
    }

    static string? ElementType(string type)
    {
        var element = type.TrimEnd('?').Replace("[]", "");
        if (!Scalars.Contains(element))
            return null;
        if (type.EndsWith('?') && element is "string" or "bool")
            return null;
        return element;
    }

    static string Scalar(NotebookParameter p, string type, string text)
    {
        var t = text.Trim();
        var inv = CultureInfo.InvariantCulture;
        string Bad(string what) =>
            throw new ArgumentException($"Parameter '{p.Name}' is {p.Type}: '{text}' is not {what}.");
        // A whole number too large for the type is not "not a whole number": say that it does not fit, and the range.
        string Whole(long min, long max) =>
            BigInteger.TryParse(t, NumberStyles.Integer, inv, out _)
                ? throw new ArgumentException(
                    $"Parameter '{p.Name}' is {p.Type}: '{text}' does not fit "
                        + $"{(type == "int" ? "an" : "a")} {type} "
                        + $"(from {min.ToString(inv)} to {max.ToString(inv)})."
                )
                : Bad("a whole number");
        // double.Parse turns "1e400" into infinity: that is a number too large for the type, not a typo.
        string Finite(bool overflow, double max) =>
            overflow
                ? throw new ArgumentException(
                    $"Parameter '{p.Name}' is {p.Type}: '{text}' does not fit a {type} "
                        + $"(at most ±{max.ToString("G3", inv)})."
                )
                : Bad("a finite number");
        bool Overflowed(double v) =>
            double.IsInfinity(v) && !t.Contains("inf", StringComparison.OrdinalIgnoreCase) && !t.Contains('∞');
        switch (type)
        {
            case "int":
                return int.TryParse(t, NumberStyles.Integer, inv, out var i)
                    ? i.ToString(inv)
                    : Whole(int.MinValue, int.MaxValue);
            case "long":
                return long.TryParse(t, NumberStyles.Integer, inv, out var l)
                    ? l.ToString(inv) + "L"
                    : Whole(long.MinValue, long.MaxValue);
            case "double":
                return double.TryParse(t, NumberStyles.Float, inv, out var d) && double.IsFinite(d)
                    ? d.ToString("R", inv) + "d"
                    : Finite(Overflowed(d), double.MaxValue);
            case "float":
                return float.TryParse(t, NumberStyles.Float, inv, out var f) && float.IsFinite(f)
                    ? f.ToString("R", inv) + "f"
                    : Finite(Overflowed(f), float.MaxValue);
            case "bool":
                return t.ToLowerInvariant() switch
                {
                    "true" or "1" => "true",
                    "false" or "0" => "false",
                    _ => Bad("true or false"),
                };
            default:
                return StringLiteral(t.Length >= 2 && t[0] == '"' && t[^1] == '"' ? t[1..^1] : t);
        }
    }

    static string StringLiteral(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
            sb.Append(
                c switch
                {
                    '"' => "\\\"",
                    '\\' => "\\\\",
                    '\n' => "\\n",
                    '\r' => "\\r",
                    '\t' => "\\t",
                    _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                    _ => c.ToString(),
                }
            );
        return sb.Append('"').ToString();
    }
}
