using System.Collections;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace ScienceOfDL.Notebooks;

/// <summary>
/// HTML tables for notebooks. A sequence of records, anonymous objects or value tuples becomes one row per item and
/// one column per property (or tuple field); other sequences become an index | value table. Numbers keep three
/// significant digits (integers stay whole), intervals print as "0.71 [0.65, 0.77]". <see cref="NotebookFormatters"/>
/// makes this the display of every sequence, so a cell writes <c>display(rows)</c>.
/// </summary>
public static class HtmlTable
{
    /// <summary>Rows shown before the rest are summarised in a last line.</summary>
    public static int MaxRows { get; set; } = 200;

    const int CountLimit = 100_000;

    /// <summary>A table of <paramref name="rows"/> with an optional caption above it.</summary>
    public static Html Of<T>(IEnumerable<T> rows, string? caption = null, int digits = 3) =>
        new(Render(rows, caption, digits));

    /// <summary>The HTML for any sequence (a string renders as preformatted text).</summary>
    public static string Render(IEnumerable sequence, string? caption = null, int digits = 3)
    {
        if (sequence is string s)
            return $"<div class=\"dni-plaintext\"><pre>{WebUtility.HtmlEncode(s)}</pre></div>";
        var items = new List<object?>();
        var more = 0;
        foreach (var item in sequence)
        {
            if (items.Count < MaxRows)
                items.Add(item);
            else if (++more == CountLimit)
                break; // a sequence may be endless
        }
        var columns = ColumnsOf(items, ElementType(sequence.GetType()));
        var html = new StringBuilder("<table>");
        if (caption is not null)
            html.Append("<caption style=\"caption-side:top;text-align:left\">")
                .Append(WebUtility.HtmlEncode(caption))
                .Append("</caption>");
        html.Append("<thead><tr>");
        foreach (var c in columns)
            html.Append($"<th>{WebUtility.HtmlEncode(c.Name)}</th>");
        html.Append("</tr></thead><tbody>");
        for (var i = 0; i < items.Count; i++)
        {
            html.Append("<tr>");
            foreach (var c in columns)
                html.Append(Td(c.Get(i, items[i]), digits));
            html.Append("</tr>");
        }
        if (items.Count == 0)
            html.Append($"<tr><td colspan=\"{columns.Count}\"><i>no rows</i></td></tr>");
        if (more > 0)
        {
            var count = more == CountLimit ? $"at least {more}" : $"{more}";
            html.Append($"<tr><td colspan=\"{columns.Count}\"><i>… {count} more rows</i></td></tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }

    /// <summary>Whether items of this type are shown with a column per member: anonymous types, records, tuples and
    /// key/value pairs. Other classes (a tensor, a model) stay one value per row.</summary>
    public static bool IsRecordLike(Type t) =>
        IsAnonymous(t)
        || IsTuple(t)
        || t == typeof(DictionaryEntry)
        || (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(KeyValuePair<,>))
        || (
            !PrintsItself(t)
            && t.GetMethod("PrintMembers", BindingFlags.Instance | BindingFlags.NonPublic, [typeof(StringBuilder)])
                is not null
        );

    /// <summary>A record that writes its own ToString (such as an interval) is one value, not a row of
    /// members.</summary>
    static bool PrintsItself(Type t) =>
        t.GetMethod(nameof(ToString), Type.EmptyTypes) is { } m
        && m.DeclaringType != typeof(object)
        && !m.IsDefined(typeof(CompilerGeneratedAttribute), false);

    /// <summary>One value as table text: numbers to <paramref name="digits"/> significant digits, sequences
    /// inline.</summary>
    public static string Cell(object? value, int digits = 3) =>
        value switch
        {
            null => "",
            string s => s,
            double d => Number(d, digits),
            float f => Number(f, digits),
            decimal m => Number((double)m, digits),
            IFormattable when IsInteger(value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
            IEnumerable seq => "[" + Inline(seq, digits) + "]",
            _ when IsRecordLike(value.GetType()) => string.Join(
                ", ",
                Members(value.GetType()).Select(m => $"{m.Name} = {Cell(m.Get(value), digits)}")
            ),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };

    /// <summary>A number to <paramref name="significant"/> digits without trailing zeros; whole numbers stay whole,
    /// very large or small ones use an exponent, and rounding never turns a fraction below 10^significant into an
    /// integer (0.9996 stays 0.9996, not 1).</summary>
    public static string Number(double x, int significant = 3)
    {
        if (double.IsNaN(x))
            return "NaN";
        if (double.IsInfinity(x))
            return x > 0 ? "∞" : "−∞";
        if (x == Math.Round(x) && Math.Abs(x) < 1e15)
            return x.ToString("0", CultureInfo.InvariantCulture);
        var magnitude = (int)Math.Floor(Math.Log10(Math.Abs(x)));
        if (magnitude >= 6 || magnitude < -3)
        {
            var mantissa = "0." + new string('#', Math.Max(1, significant - 1));
            return x.ToString(mantissa + "e+0", CultureInfo.InvariantCulture);
        }
        for (var sig = significant; ; sig++)
        {
            var decimals = Math.Max(0, sig - 1 - magnitude);
            var s = x.ToString("F" + decimals, CultureInfo.InvariantCulture);
            if (decimals > 0)
                s = s.TrimEnd('0').TrimEnd('.');
            if (s.Contains('.') || magnitude >= significant || sig >= 15)
                return s;
        }
    }

    static string Td(object? value, int digits)
    {
        var numeric = value is not null && (IsInteger(value) || value is double or float or decimal);
        var style = numeric ? " style=\"text-align:right\"" : "";
        return $"<td{style}>{WebUtility.HtmlEncode(Cell(value, digits))}</td>";
    }

    static string Inline(IEnumerable seq, int digits)
    {
        var parts = seq.Cast<object?>().Take(11).Select(v => Cell(v, digits)).ToList();
        return string.Join(", ", parts.Take(10)) + (parts.Count > 10 ? ", …" : "");
    }

    sealed record Column(string Name, Func<int, object?, object?> Get);

    static List<Column> ColumnsOf(List<object?> items, Type? declared)
    {
        var types = items.Where(i => i is not null).Select(i => i!.GetType()).Distinct().ToList();
        if (types.Count == 0 && declared is not null && IsRecordLike(declared))
            types.Add(declared);
        if (types.Count == 0 || !types.All(IsRecordLike))
            return [new("index", (i, _) => i), new("value", (_, item) => item)];
        // Items of several record types (say a base record and a derived one): the union of their members, by name.
        var names = types.SelectMany(t => Members(t).Select(m => m.Name)).Distinct().ToList();
        object? Get(object? item, string name) =>
            item is null
                ? null
                : Members(item.GetType()).Where(m => m.Name == name).Select(m => m.Get(item)).FirstOrDefault();
        return names.Select(n => new Column(n, (_, item) => Get(item, n))).ToList();
    }

    static readonly ConditionalWeakTable<Type, List<(string Name, Func<object, object?> Get)>> MemberCache = new();

    /// <summary>Public instance properties and fields, in declaration order (a tuple's Item1, Item2, ...).</summary>
    static List<(string Name, Func<object, object?> Get)> Members(Type t) => MemberCache.GetValue(t, type =>
        {
            var list = new List<(string, Func<object, object?>)>();
            foreach (
                var m in type.GetMembers(BindingFlags.Public | BindingFlags.Instance).OrderBy(m => m.MetadataToken)
            )
            {
                if (m is PropertyInfo p && p.GetIndexParameters().Length == 0 && p.GetMethod is not null)
                    list.Add((p.Name, p.GetValue));
                else if (m is FieldInfo f)
                    list.Add((f.Name, f.GetValue));
            }
            return list;
        });

    static Type? ElementType(Type sequenceType) =>
        sequenceType.IsArray
            ? sequenceType.GetElementType()
            : sequenceType
                .GetInterfaces()
                .Append(sequenceType)
                .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
                ?.GetGenericArguments()[0];

    static bool IsAnonymous(Type t) =>
        t.Name.Contains("AnonymousType") && t.IsDefined(typeof(CompilerGeneratedAttribute), false);

    static bool IsTuple(Type t) =>
        t.IsGenericType
        && t.FullName is { } n
        && (
            n.StartsWith("System.ValueTuple`", StringComparison.Ordinal)
            || n.StartsWith("System.Tuple`", StringComparison.Ordinal)
        );

    static bool IsInteger(object v) => v is int or long or short or byte or sbyte or uint or ulong or ushort;
}
