namespace ScienceOfDL.Notebooks;

/// <summary><c>display(rows.WithCaption("..."))</c>: the same table as <c>display(rows)</c>, with a caption.</summary>
public static class TableExtensions
{
    public static Html WithCaption<T>(this IEnumerable<T> rows, string caption, int digits = 3) =>
        HtmlTable.Of(rows, caption, digits);
}
