using System.Collections;
using System.Net;
using Microsoft.DotNet.Interactive.Formatting;
using ScienceOfDL.Statistics;

namespace ScienceOfDL.Notebooks;

/// <summary>
/// How notebook values display: every sequence as an <see cref="HtmlTable"/>, an <see cref="Interval"/> as
/// "0.71 [0.65, 0.77]", library source as a code block. Registered once per session by <see cref="NotebookSession"/>.
/// </summary>
public static class NotebookFormatters
{
    static bool _registered;

    public static void Register()
    {
        if (_registered)
            return;
        _registered = true;
        // The kernel picks this for any IEnumerable and shows nothing if a formatter declines, so it renders every case
        // itself (a string, should one be shown as HTML, becomes preformatted text).
        Formatter.Register(
            typeof(IEnumerable),
            (object value, FormatContext context) =>
            {
                context.Writer.Write(HtmlTable.Render((IEnumerable)value));
                return true;
            },
            HtmlFormatter.MimeType
        );
        Formatter.Register(
            typeof(Interval),
            (object value, FormatContext context) =>
            {
                context.Writer.Write(WebUtility.HtmlEncode(value.ToString()));
                return true;
            },
            HtmlFormatter.MimeType
        );
        Formatter.Register(
            typeof(Interval),
            (object value, FormatContext context) =>
            {
                context.Writer.Write(value.ToString());
                return true;
            },
            PlainTextFormatter.MimeType
        );
        Formatter.Register(
            typeof(SourceCode),
            (object value, FormatContext context) =>
            {
                context.Writer.Write(((SourceCode)value).ToHtml());
                return true;
            },
            HtmlFormatter.MimeType
        );
    }
}
