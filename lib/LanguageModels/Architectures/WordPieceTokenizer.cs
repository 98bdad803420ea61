using System.Globalization;
using System.Text;

namespace ScienceOfDL.LanguageModels;

/// <summary>
/// BERT's uncased WordPiece tokenizer, following Hugging Face's BertTokenizer step by step: clean the text, space out
/// CJK characters, split on whitespace, lowercase and strip accents, split off punctuation, then greedy longest-match
/// WordPiece. Written here because Microsoft.ML.Tokenizers 2.0.1's BertTokenizer drops ASCII symbols such as <c>$ + = ^
/// | ~ &lt; &gt;</c>, which Hugging Face keeps as tokens, so the ids the model was trained on would differ.
/// Special-token strings typed inside a text (e.g. "[SEP]") are tokenized as plain text.
/// </summary>
public sealed class WordPieceTokenizer
{
    const int MaxCharsPerWord = 100;
    readonly Dictionary<string, int> vocab;
    readonly bool lowerCase;

    public int ClsId { get; }
    public int SepId { get; }
    public int PadId { get; }
    public int UnkId { get; }
    public int VocabSize => vocab.Count;

    /// <summary>Reads a vocab.txt (one token per line, id = line number).</summary>
    public WordPieceTokenizer(Stream vocabTxt, bool lowerCase = true)
    {
        this.lowerCase = lowerCase;
        vocab = new Dictionary<string, int>();
        using var reader = new StreamReader(vocabTxt, Encoding.UTF8);
        var id = 0;
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
            vocab.TryAdd(line.TrimEnd('\r'), id++);
        int Special(string t) =>
            vocab.TryGetValue(t, out var i) ? i : throw new InvalidDataException($"The vocabulary has no '{t}' token.");
        ClsId = Special("[CLS]");
        SepId = Special("[SEP]");
        PadId = Special("[PAD]");
        UnkId = Special("[UNK]");
    }

    public static WordPieceTokenizer FromFile(string vocabTxt, bool lowerCase = true)
    {
        using var stream = File.OpenRead(vocabTxt);
        return new WordPieceTokenizer(stream, lowerCase);
    }

    /// <summary>The ids of <paramref name="text"/>, without [CLS]/[SEP].</summary>
    public List<int> EncodeWithoutSpecials(string text)
    {
        var ids = new List<int>();
        foreach (var word in BasicTokens(text))
            AppendWordPieces(word, ids);
        return ids;
    }

    /// <summary>[CLS] text [SEP]; when longer than <paramref name="maxTokens"/>, the START of the text is dropped so
    /// that its end (where a CCS prompt puts the answer) survives.</summary>
    public int[] Encode(string text, int maxTokens = 512)
    {
        var ids = EncodeWithoutSpecials(text);
        var keep = Math.Min(ids.Count, maxTokens - 2);
        var result = new int[keep + 2];
        result[0] = ClsId;
        ids.CopyTo(ids.Count - keep, result, 1, keep);
        result[^1] = SepId;
        return result;
    }

    IEnumerable<string> BasicTokens(string text)
    {
        // Clean: drop NUL, U+FFFD and control characters; every kind of whitespace becomes a space; CJK ideographs
        // stand alone.
        var clean = new StringBuilder(text.Length);
        foreach (var rune in text.Normalize(NormalizationForm.FormC).EnumerateRunes())
        {
            var c = rune.Value;
            if (c == 0 || c == 0xFFFD || IsControl(rune))
                continue;
            if (IsWhitespace(rune))
                clean.Append(' ');
            else if (IsCjk(c))
                clean.Append(' ').Append(rune.ToString()).Append(' ');
            else
                clean.Append(rune.ToString());
        }
        foreach (var raw in clean.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var word = lowerCase ? StripAccents(raw.ToLowerInvariant()) : raw;
            // Every punctuation character becomes its own token.
            var current = new StringBuilder();
            foreach (var rune in word.EnumerateRunes())
            {
                if (IsPunctuation(rune))
                {
                    if (current.Length > 0)
                    {
                        yield return current.ToString();
                        current.Clear();
                    }
                    yield return rune.ToString();
                }
                else
                    current.Append(rune.ToString());
            }
            if (current.Length > 0)
                yield return current.ToString();
        }
    }

    void AppendWordPieces(string word, List<int> ids)
    {
        var runes = word.EnumerateRunes().Select(r => r.ToString()).ToArray();
        if (runes.Length > MaxCharsPerWord)
        {
            ids.Add(UnkId);
            return;
        }
        var pieces = new List<int>();
        for (var start = 0; start < runes.Length; )
        {
            // Greedy: the longest vocabulary entry starting here; later pieces carry the "##" prefix.
            var found = -1;
            var end = runes.Length;
            for (; end > start; end--)
            {
                var piece = (start > 0 ? "##" : "") + string.Concat(runes[start..end]);
                if (vocab.TryGetValue(piece, out found))
                    break;
                found = -1;
            }
            if (found < 0)
            {
                ids.Add(UnkId);
                return;
            } // one unknown piece makes the whole word [UNK], as in BERT
            pieces.Add(found);
            start = end;
        }
        ids.AddRange(pieces);
    }

    static string StripAccents(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var rune in s.Normalize(NormalizationForm.FormD).EnumerateRunes())
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark)
                sb.Append(rune.ToString());
        return sb.ToString();
    }

    static bool IsWhitespace(Rune r) =>
        r.Value is ' ' or '\t' or '\n' or '\r' || Rune.GetUnicodeCategory(r) == UnicodeCategory.SpaceSeparator;

    static bool IsControl(Rune r)
    {
        if (r.Value is '\t' or '\n' or '\r')
            return false;
        return Rune.GetUnicodeCategory(r)
            is UnicodeCategory.Control
                or UnicodeCategory.Format
                or UnicodeCategory.Surrogate
                or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned;
    }

    // All non-alphanumeric ASCII counts as punctuation (BERT's rule), plus Unicode's punctuation categories.
    static bool IsPunctuation(Rune r)
    {
        var c = r.Value;
        if (c is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126)
            return true;
        return Rune.GetUnicodeCategory(r)
            is UnicodeCategory.ConnectorPunctuation
                or UnicodeCategory.DashPunctuation
                or UnicodeCategory.OpenPunctuation
                or UnicodeCategory.ClosePunctuation
                or UnicodeCategory.InitialQuotePunctuation
                or UnicodeCategory.FinalQuotePunctuation
                or UnicodeCategory.OtherPunctuation;
    }

    static bool IsCjk(int c) =>
        c
            is >= 0x4E00
                and <= 0x9FFF
                or >= 0x3400
                and <= 0x4DBF
                or >= 0x20000
                and <= 0x2A6DF
                or >= 0x2A700
                and <= 0x2B73F
                or >= 0x2B740
                and <= 0x2B81F
                or >= 0x2B820
                and <= 0x2CEAF
                or >= 0xF900
                and <= 0xFAFF
                or >= 0x2F800
                and <= 0x2FA1F;
}
