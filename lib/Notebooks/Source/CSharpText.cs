namespace ScienceOfDL.Notebooks;

/// <summary>
/// Just enough C# lexing to find a member's extent in a source file without a compiler: which characters are code, as
/// opposed to comments, strings (regular, verbatim, interpolated, raw) and character literals. Braces in code then
/// give the structure. (A Roslyn reference would clash with the notebook host's own Roslyn.)
/// </summary>
internal static class CSharpText
{
    /// <summary>True at each character of <paramref name="s"/> that is code outside any comment, string or char
    /// literal.</summary>
    public static bool[] CodeMask(string s)
    {
        var mask = new bool[s.Length];
        var i = 0;
        ScanCode(s, ref i, mask, inHole: false);
        return mask;
    }

    /// <summary>Scans code from <paramref name="i"/>; inside an interpolation hole, stops on the '}' that closes
    /// it.</summary>
    static void ScanCode(string s, ref int i, bool[] mask, bool inHole)
    {
        var depth = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (c == '/' && At(s, i + 1) == '/')
            {
                while (i < s.Length && s[i] != '\n')
                    i++;
                continue;
            }
            if (c == '/' && At(s, i + 1) == '*')
            {
                var end = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? s.Length : end + 2;
                continue;
            }
            if (c == '\'')
            {
                SkipCharLiteral(s, ref i);
                continue;
            }
            if (StringStart(s, i) is { } prefix)
            {
                ScanString(s, ref i, prefix, mask);
                continue;
            }
            if (inHole)
            {
                if (c == '{')
                    depth++;
                else if (c == '}' && depth-- == 0)
                    return;
            }
            else
                mask[i] = true;
            i++;
        }
    }

    /// <summary>The prefix ($, @ and opening quotes) if a string literal starts at <paramref name="i"/>.</summary>
    static (int Dollars, bool Verbatim, int Quotes, int Length)? StringStart(string s, int i)
    {
        if (i > 0 && (char.IsLetterOrDigit(s[i - 1]) || s[i - 1] == '_') && s[i] != '"')
            return null;
        var j = i;
        var dollars = 0;
        var verbatim = false;
        while (j < s.Length && (s[j] == '$' || s[j] == '@'))
        {
            if (s[j] == '$')
                dollars++;
            else
                verbatim = true;
            j++;
        }
        if (At(s, j) != '"')
            return null;
        var quotes = 0;
        while (At(s, j + quotes) == '"')
            quotes++;
        // "" is an empty string, """ or more opens a raw string.
        return (dollars, verbatim, quotes >= 3 ? quotes : 1, j - i + (quotes >= 3 ? quotes : 1));
    }

    static void ScanString(string s, ref int i, (int Dollars, bool Verbatim, int Quotes, int Length) p, bool[] mask)
    {
        i += p.Length;
        if (p.Quotes >= 3)
        {
            // Raw string: ends at the first run of as many quotes; its holes cannot hold such a run.
            var close = new string('"', p.Quotes);
            var end = s.IndexOf(close, i, StringComparison.Ordinal);
            i = end < 0 ? s.Length : end + p.Quotes;
            while (At(s, i) == '"')
                i++;
            return;
        }
        while (i < s.Length)
        {
            var c = s[i];
            if (!p.Verbatim && c == '\\')
            {
                i += 2;
                continue;
            }
            if (c == '"')
            {
                if (p.Verbatim && At(s, i + 1) == '"')
                {
                    i += 2;
                    continue;
                }
                i++;
                return;
            }
            if (p.Dollars > 0 && c == '{')
            {
                if (At(s, i + 1) == '{')
                {
                    i += 2;
                    continue;
                }
                i++;
                ScanCode(s, ref i, mask, inHole: true);
                i++; // the hole's closing brace
                continue;
            }
            if (!p.Verbatim && c == '\n')
                return; // unterminated: stop at the line's end
            i++;
        }
    }

    static void SkipCharLiteral(string s, ref int i)
    {
        var j = i + 1;
        if (At(s, j) == '\\')
            j += 2;
        else
            j++;
        while (j < s.Length && s[j] != '\'' && s[j] != '\n')
            j++;
        i = j + 1;
    }

    static char At(string s, int i) => i < s.Length ? s[i] : '\0';
}
