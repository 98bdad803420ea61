using Microsoft.DotNet.Interactive.Formatting;

namespace ScienceOfDL.Notebooks;

/// <summary>Raw HTML for a notebook output (avoids the kernel's IHtmlContent, whose assembly version differs between
/// hosts).</summary>
public sealed record Html(string Markup)
{
    static bool _registered;

    internal static void Register()
    {
        if (_registered)
            return;
        _registered = true;
        Formatter.Register<Html>((html, writer) => writer.Write(html.Markup), HtmlFormatter.MimeType);
    }

    public override string ToString() => Markup;
}
