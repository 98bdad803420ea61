namespace ScienceOfDL.NotebookRunner.Site;

/// <summary>The HTML shell every site page shares: one copy of each script and style under assets/, no
/// network.</summary>
public static class SiteLayout
{
    public const string SiteName = "Science of Deep Learning — AXRP episode 29, run";

    /// <summary>A whole page. <paramref name="nav"/> and <paramref name="body"/> are HTML. The empty icon keeps
    /// browsers from asking a static host for /favicon.ico, which it would answer with a 404.</summary>
    public static string Page(string title, string nav, string body) =>
        $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{Enc(title)}</title>
            <link rel="icon" href="data:,">
            <link rel="stylesheet" href="assets/katex/katex.min.css">
            <link rel="stylesheet" href="assets/site.css">
            <script src="assets/plotly.min.js"></script>
            <script defer src="assets/katex/katex.min.js"></script>
            <script defer src="assets/site.js"></script>
            </head>
            <body>
            <header class="site-nav">{nav}</header>
            <main>
            {body}
            </main>
            <footer>Built from the executed notebooks by <code>./run-notebooks.sh</code>.
            plotly.js and KaTeX are MIT-licensed; their licences are in <code>assets/</code>.</footer>
            </body>
            </html>
            """;

    /// <summary>Escapes text for HTML. (WebUtility.HtmlEncode also turns "·" or "é" into numeric entities.)</summary>
    public static string Enc(string s) =>
        s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;").Replace("'", "&#39;");
}
