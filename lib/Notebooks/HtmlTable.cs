using System.Globalization;
using System.Net;

namespace ScienceOfDL.Notebooks;

/// <summary>A compact HTML table of records (one row each, public properties as columns), numbers to a few digits:
/// the kernel's default shows a record as a key/value list, which is hard to compare across rows.</summary>
public static class HtmlTable
{
    public static Html Of<T>(IEnumerable<T> rows, string? caption = null, int digits = 3)
    {
        var list = rows.ToList();
        var props = (list.FirstOrDefault()?.GetType() ?? typeof(T)).GetProperties().Where(p => p.GetIndexParameters().Length == 0).ToArray();
        string Cell(object? v) => v switch
        {
            double d when d != 0 && Math.Abs(d) < Math.Pow(10, -digits) => d.ToString("E1", CultureInfo.InvariantCulture),
            double d => d.ToString("F" + digits, CultureInfo.InvariantCulture),
            float f => ((double)f).ToString("F" + digits, CultureInfo.InvariantCulture),
            null => "",
            _ => WebUtility.HtmlEncode(Convert.ToString(v, CultureInfo.InvariantCulture) ?? ""),
        };
        var head = string.Concat(props.Select(p => $"<th>{WebUtility.HtmlEncode(p.Name)}</th>"));
        var body = string.Concat(list.Select(r => "<tr>" + string.Concat(props.Select(p => $"<td>{Cell(p.GetValue(r))}</td>")) + "</tr>"));
        var cap = caption is null ? "" : $"<caption style=\"text-align:left\">{WebUtility.HtmlEncode(caption)}</caption>";
        return new Html($"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>");
    }
}
