using System.Globalization;
using System.Runtime.CompilerServices;

namespace ScienceOfDL.Notebooks;

/// <summary>A parameter value the notebook cannot run with. The message names the parameter, its value and what is
/// allowed: <c>Parameter steps = -5 is not allowed: it must be at least 1.</c></summary>
public sealed class ParameterException(string parameter, string value, string allowed)
    : ArgumentException($"Parameter {parameter} = {value} is not allowed: {allowed}.")
{
    public string Parameter { get; } = parameter;
    public string Value { get; } = value;
    public string Allowed { get; } = allowed;
}

/// <summary>
/// Range checks for a notebook's parameters, in the cell right after the parameters cell, so a value nobody meant
/// stops the run before any heavy work: <c>Require.AtLeast(steps, 1); Require.Above(weightDecays, 0);</c>. The
/// parameter's name comes from the call itself ([CallerArgumentExpression]), and so does a bound that is another
/// parameter (<c>Require.AtMost(minSize, maxSize)</c> says "at most maxSize = 400"). Arrays are checked element by
/// element, must not be empty unless <c>allowEmpty</c>, and must not repeat an element; a null <c>int?</c> passes (it
/// means "all" in the parameters cells). Each check throws a <see cref="ParameterException"/>.
/// </summary>
public static class Require
{
    public static void AtLeast(
        int value,
        int min,
        [CallerArgumentExpression(nameof(value))] string name = "",
        [CallerArgumentExpression(nameof(min))] string minName = ""
    ) => Check(value >= min, name, Show(value), $"it must be at least {Bound(minName, min)}");

    public static void AtLeast(
        int? value,
        int min,
        [CallerArgumentExpression(nameof(value))] string name = "",
        [CallerArgumentExpression(nameof(min))] string minName = ""
    ) => Check(value is null || value >= min, name, Show(value), $"it must be null or at least {Bound(minName, min)}");

    public static void AtLeast(
        long value,
        long min,
        [CallerArgumentExpression(nameof(value))] string name = "",
        [CallerArgumentExpression(nameof(min))] string minName = ""
    ) => Check(value >= min, name, Show(value), $"it must be at least {Bound(minName, min)}");

    public static void AtLeast(
        double value,
        double min,
        [CallerArgumentExpression(nameof(value))] string name = "",
        [CallerArgumentExpression(nameof(min))] string minName = ""
    ) => Check(value >= min, name, Show(value), $"it must be at least {Bound(minName, min)}");

    public static void AtMost(
        int value,
        int max,
        [CallerArgumentExpression(nameof(value))] string name = "",
        [CallerArgumentExpression(nameof(max))] string maxName = ""
    ) => Check(value <= max, name, Show(value), $"it must be at most {Bound(maxName, max)}");

    public static void AtMost(
        double value,
        double max,
        [CallerArgumentExpression(nameof(value))] string name = "",
        [CallerArgumentExpression(nameof(max))] string maxName = ""
    ) => Check(value <= max, name, Show(value), $"it must be at most {Bound(maxName, max)}");

    /// <summary>value &gt; bound: learning rates, weight decays, time scales (0 is refused, unlike
    /// <see cref="AtLeast(double, double, string, string)"/>).</summary>
    public static void Above(
        double value,
        double bound,
        [CallerArgumentExpression(nameof(value))] string name = "",
        [CallerArgumentExpression(nameof(bound))] string boundName = ""
    ) => Check(value > bound, name, Show(value), $"it must be above {Bound(boundName, bound)}");

    public static void Between(
        int value,
        int min,
        int max,
        [CallerArgumentExpression(nameof(value))] string name = "",
        [CallerArgumentExpression(nameof(min))] string minName = "",
        [CallerArgumentExpression(nameof(max))] string maxName = ""
    ) =>
        Check(
            value >= min && value <= max,
            name,
            Show(value),
            $"it must be from {Bound(minName, min)} to {Bound(maxName, max)}"
        );

    public static void Between(
        double value,
        double min,
        double max,
        [CallerArgumentExpression(nameof(value))] string name = "",
        [CallerArgumentExpression(nameof(min))] string minName = "",
        [CallerArgumentExpression(nameof(max))] string maxName = ""
    ) =>
        Check(
            value >= min && value <= max,
            name,
            Show(value),
            $"it must be from {Bound(minName, min)} to {Bound(maxName, max)}"
        );

    /// <summary>min &lt; value &lt; max, both ends excluded: a share of a table that must leave some on each
    /// side.</summary>
    public static void StrictlyBetween(
        double value,
        double min,
        double max,
        [CallerArgumentExpression(nameof(value))] string name = "",
        [CallerArgumentExpression(nameof(min))] string minName = "",
        [CallerArgumentExpression(nameof(max))] string maxName = ""
    ) =>
        Check(
            value > min && value < max,
            name,
            Show(value),
            $"it must be above {Bound(minName, min)} and below {Bound(maxName, max)}"
        );

    public static void AtLeast(
        int[] values,
        int min,
        bool allowEmpty = false,
        [CallerArgumentExpression(nameof(values))] string name = "",
        [CallerArgumentExpression(nameof(min))] string minName = ""
    ) => Each(values, v => v >= min, $"at least {Bound(minName, min)}", allowEmpty, name);

    public static void AtLeast(
        double[] values,
        double min,
        bool allowEmpty = false,
        [CallerArgumentExpression(nameof(values))] string name = "",
        [CallerArgumentExpression(nameof(min))] string minName = ""
    ) => Each(values, v => v >= min, $"at least {Bound(minName, min)}", allowEmpty, name);

    public static void Above(
        double[] values,
        double bound,
        bool allowEmpty = false,
        [CallerArgumentExpression(nameof(values))] string name = "",
        [CallerArgumentExpression(nameof(bound))] string boundName = ""
    ) => Each(values, v => v > bound, $"above {Bound(boundName, bound)}", allowEmpty, name);

    public static void Between(
        int[] values,
        int min,
        int max,
        bool allowEmpty = false,
        [CallerArgumentExpression(nameof(values))] string name = "",
        [CallerArgumentExpression(nameof(min))] string minName = "",
        [CallerArgumentExpression(nameof(max))] string maxName = ""
    ) =>
        Each(
            values,
            v => v >= min && v <= max,
            $"from {Bound(minName, min)} to {Bound(maxName, max)}",
            allowEmpty,
            name
        );

    /// <summary>One of a fixed list, e.g. a dataset's name, or of another parameter's values
    /// (<c>Require.OneOf(defaultToken, studyTokens)</c>, <c>Require.OneOf(focusLayer, layers)</c>).</summary>
    public static void OneOf<T>(
        T value,
        IEnumerable<T> allowed,
        [CallerArgumentExpression(nameof(value))] string name = "",
        [CallerArgumentExpression(nameof(allowed))] string allowedName = ""
    )
    {
        var list = allowed.ToList();
        Check(list.Contains(value), name, Show(value), $"it must be one of {Names(allowedName, list)}");
    }

    public static void OneOf<T>(
        T[] values,
        IEnumerable<T> allowed,
        bool allowEmpty = false,
        [CallerArgumentExpression(nameof(values))] string name = "",
        [CallerArgumentExpression(nameof(allowed))] string allowedName = ""
    )
    {
        var list = allowed.ToList();
        Each(values, list.Contains, $"one of {Names(allowedName, list)}", allowEmpty, name);
    }

    /// <summary>The name of a member of <typeparamref name="TEnum"/>, spelled exactly
    /// (<c>Require.OneOf&lt;TokenPosition&gt;(tokenPosition)</c>).</summary>
    public static void OneOf<TEnum>(string value, [CallerArgumentExpression(nameof(value))] string name = "")
        where TEnum : struct, Enum => OneOf(value, Enum.GetNames<TEnum>(), name, typeof(TEnum).Name);

    public static void OneOf<TEnum>(
        string[] values,
        bool allowEmpty = false,
        [CallerArgumentExpression(nameof(values))] string name = ""
    )
        where TEnum : struct, Enum => OneOf(values, Enum.GetNames<TEnum>(), allowEmpty, name, typeof(TEnum).Name);

    /// <summary>An existing folder (a model checkpoint, a data folder); with <paramref name="allowEmpty"/>, "" too (the
    /// parameter's "use the default").</summary>
    public static void Folder(
        string value,
        bool allowEmpty = false,
        [CallerArgumentExpression(nameof(value))] string name = ""
    ) =>
        Check(
            (allowEmpty && value == "") || Directory.Exists(value),
            name,
            Show(value),
            allowEmpty ? "it must be \"\" or an existing folder" : "it must be an existing folder"
        );

    /// <summary>No value twice; the array checks above include it, this is for an array with no other
    /// rule.</summary>
    public static void Distinct<T>(T[] values, [CallerArgumentExpression(nameof(values))] string name = "")
    {
        for (var i = 0; i < values.Length; i++)
        for (var j = 0; j < i; j++)
            if (EqualityComparer<T>.Default.Equals(values[i], values[j]))
                throw new ParameterException(
                    name,
                    Show(values),
                    $"every element must be different ({name}[{j}] " + $"and {name}[{i}] are both {Show(values[i])})"
                );
    }

    /// <summary>Any other rule, stated in words:
    /// <c>Require.That(pairs, pairs % 2 == 0, "an even number")</c>.</summary>
    public static void That<T>(
        T value,
        bool ok,
        string allowed,
        [CallerArgumentExpression(nameof(value))] string name = ""
    ) => Check(ok, name, Show(value), $"it must be {allowed}");

    static void Check(bool ok, string name, string value, string allowed)
    {
        if (!ok)
            throw new ParameterException(name, value, allowed);
    }

    /// <summary>Every element allowed, and none twice: the arrays of the parameters cells list settings to sweep or
    /// compare, where a repeat would run and show the same setting twice (or break a table keyed by it).</summary>
    static void Each<T>(T[] values, Func<T, bool> ok, string allowed, bool allowEmpty, string name)
    {
        if (values.Length == 0 && !allowEmpty)
            throw new ParameterException(name, "[]", "it needs at least one element");
        for (var i = 0; i < values.Length; i++)
            if (!ok(values[i]))
                throw new ParameterException(
                    name,
                    Show(values),
                    $"every element must be {allowed} ({name}[{i}] = " + $"{Show(values[i])})"
                );
        Distinct(values, name);
    }

    /// <summary>A bound as written: a literal shows as its value, another parameter as "name = value".</summary>
    static string Bound<T>(string expression, T value)
    {
        var shown = Show(value);
        return
            expression.Length == 0
            || expression == shown
            || double.TryParse(expression.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            ? shown
            : $"{expression} = {shown}";
    }

    static string Names<T>(string expression, IReadOnlyList<T> list)
    {
        var names = string.Join(", ", list.Select(x => Show(x)));
        return expression.Length == 0 || expression.Contains('"') || expression.Contains('[')
            ? names
            : $"{expression} ({names})";
    }

    static string Show<T>(T value) =>
        value switch
        {
            null => "null",
            string s => $"\"{s}\"",
            // 15 digits: a bound computed from parameters (10 * 3e-3) reads 0.03, not 0.030000000000000002.
            double d => d.ToString("G15", CultureInfo.InvariantCulture),
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
            System.Collections.IEnumerable e => "[" + string.Join(", ", e.Cast<object?>().Select(Show)) + "]",
            _ => value.ToString() ?? "",
        };
}
