using System.Reflection;
using System.Text.RegularExpressions;

namespace ScienceOfDL.Notebooks;

/// <summary>
/// The library's own source, embedded in ScienceOfDL.dll at build time, so a notebook can show the lines that compute
/// something and then run exactly those lines: <c>display(LibrarySource.Of(typeof(CcsLoss), "Total"))</c>. What is
/// shown is the text of the built library, line for line (a test compares it with the files in lib/).
/// </summary>
public static class LibrarySource
{
    const string Prefix = "source/";

    /// <summary>The science library, whose source is embedded (this adapter's is not).</summary>
    static readonly Assembly Library = typeof(Results.ResultsStore).Assembly;

    /// <summary>Embedded files, relative to lib/ ("Ccs/Probing/CcsLoss.cs").</summary>
    public static IReadOnlyList<string> Files { get; } =
        Library
            .GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(n => n[Prefix.Length..].Replace('\\', '/'))
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToArray();

    /// <summary>The whole text of an embedded file.</summary>
    public static string Text(string file)
    {
        var name = Library
            .GetManifestResourceNames()
            .FirstOrDefault(n =>
                n.StartsWith(Prefix, StringComparison.Ordinal) && n[Prefix.Length..].Replace('\\', '/') == file
            )
            ?? throw new FileNotFoundException($"'{file}' is not embedded (see LibrarySource.Files).");
        using var stream = Library.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>A whole file.</summary>
    public static SourceCode File(string file)
    {
        var lines = SplitLines(Text(file));
        return Slice(file, lines, [(0, lines.Length - 1)]);
    }

    /// <summary>A type's whole declaration, with its doc comment.</summary>
    public static SourceCode Of(Type type)
    {
        var (file, parsed) = Locate(type);
        return Slice(file, parsed.Lines, [parsed.Extent(parsed.TypeStart, parsed.TypeName)]);
    }

    /// <summary>The named members of a type (every overload of each), with their doc comments, in file order.</summary>
    public static SourceCode Of(Type type, params string[] members)
    {
        if (members.Length == 0)
            return Of(type);
        var (file, parsed) = Locate(type);
        var ranges = new List<(int, int)>();
        foreach (var member in members)
        {
            var found = parsed.MemberDeclarations(member).Select(p => parsed.Extent(p, member)).ToList();
            if (found.Count == 0)
                throw new ArgumentException($"{type.Name} in lib/{file} declares no member '{member}'.");
            ranges.AddRange(found);
        }
        return Slice(file, parsed.Lines, ranges.Distinct().OrderBy(r => r.Item1).ToList());
    }

    static SourceCode Slice(string file, string[] lines, IEnumerable<(int First, int Last)> ranges) =>
        new(
            file,
            ranges
                .SelectMany(r => Enumerable.Range(r.First, r.Last - r.First + 1))
                .Distinct()
                .Order()
                .Select(i => (i + 1, lines[i]))
                .ToArray()
        );

    static (string File, ParsedFile Parsed) Locate(Type type)
    {
        var name = type.Name.Split('`')[0];
        // Files are named after the type they hold; otherwise look for the declaration anywhere.
        var candidates = Files.Where(f => Path.GetFileNameWithoutExtension(f) == name).Concat(Files);
        foreach (var file in candidates)
        {
            var parsed = new ParsedFile(Text(file), name, type.IsGenericTypeDefinition);
            if (parsed.TypeStart >= 0)
                return (file, parsed);
        }
        throw new ArgumentException($"no embedded source file declares {type.FullName}.");
    }

    static string[] SplitLines(string text) => text.Replace("\r\n", "\n").Split('\n');

    /// <summary>One file's text with its code mask, brace depths and the declaration of one type.</summary>
    sealed class ParsedFile
    {
        public readonly string[] Lines;
        public readonly string TypeName;
        public readonly int TypeStart = -1;
        readonly string _text;
        readonly bool[] _code;
        readonly int[] _depth; // brace depth before each character (code braces only)
        readonly int _bodyOpen = -1,
            _bodyClose = -1;

        public ParsedFile(string text, string typeName, bool generic)
        {
            _text = text.Replace("\r\n", "\n");
            Lines = _text.Split('\n');
            TypeName = typeName;
            _code = CSharpText.CodeMask(_text);
            _depth = new int[_text.Length + 1];
            for (var i = 0; i < _text.Length; i++)
                _depth[i + 1] =
                    _depth[i]
                    + (
                        !_code[i] ? 0
                        : _text[i] == '{' ? 1
                        : _text[i] == '}' ? -1
                        : 0
                    );
            var codeOnly = new string(_text.Select((c, i) => _code[i] || c == '\n' ? c : ' ').ToArray());
            var kind = @"\b(class|record|struct|interface|enum)\s+(struct\s+|class\s+)?";
            // NotebookProgress<T> and the static NotebookProgress share a file: type parameters tell them apart.
            var m = Regex.Match(codeOnly, kind + Regex.Escape(typeName) + (generic ? @"\s*<" : @"\b(?!\s*<)"));
            if (!m.Success)
                return;
            TypeStart = m.Index + m.Length - typeName.Length;
            var end = EndOf(TypeStart);
            if (_text[end] == '}')
            {
                _bodyClose = end;
                _bodyOpen = Open(end);
            }
        }

        /// <summary>Positions of declarations of <paramref name="member"/> directly in the type's body: the name at
        /// member depth, outside parentheses, after a type (not after '.', an operator or <c>new</c>), followed by
        /// a parameter list, generic parameters, a body, <c>=&gt;</c>, <c>=</c> or <c>;</c>.</summary>
        public IEnumerable<int> MemberDeclarations(string member)
        {
            if (_bodyOpen < 0)
                yield break;
            var level = _depth[_bodyOpen] + 1;
            foreach (Match m in Regex.Matches(_text[.._bodyClose], $@"\b{Regex.Escape(member)}\b"))
            {
                var at = m.Index;
                if (at <= _bodyOpen || !_code[at] || _depth[at] != level || ParenDepth(_bodyOpen, at) != 0)
                    continue;
                var after = NextCode(at + member.Length);
                if (after < 0 || "(<{=;".IndexOf(_text[after]) < 0)
                    continue;
                if (IsDeclaration(at))
                    yield return at;
            }
        }

        /// <summary>Whether the name at <paramref name="at"/> follows a type (a name, generic arguments, [], a
        /// nullable ? or a tuple) rather than being used in an expression: not after '=>', '.', an operator or a
        /// keyword such as <c>new</c>, and with no '=' earlier on its line.</summary>
        bool IsDeclaration(int at)
        {
            var before = PreviousCode(at - 1);
            if (before < 0)
                return false;
            var c = _text[before];
            if (c == '>' && At(before - 1) == '=')
                return false;
            if (c == '?' && (before == 0 || char.IsWhiteSpace(_text[before - 1])))
                return false;
            if (!(char.IsLetterOrDigit(c) || "_>]?)".Contains(c)))
                return false;
            var lineStart = _text.LastIndexOf('\n', at) + 1;
            for (var i = lineStart; i < at; i++)
                if (_code[i] && _text[i] == '=')
                    return false;
            var word = Regex.Match(_text[..(before + 1)], @"\b(\w+)$").Groups[1].Value;
            return !NotTypes.Contains(word);
        }

        static readonly HashSet<string> NotTypes =
        [
            "new",
            "await",
            "is",
            "as",
            "in",
            "out",
            "throw",
            "not",
            "and",
            "or",
            "when",
            "nameof",
            "typeof",
            "sizeof",
            "default",
            "return",
            "yield",
            "case",
            "var",
            "else",
        ];

        /// <summary>First and last line (0-based) of the declaration whose name is at <paramref name="at"/>: from its
        /// first line, with the doc comment and attributes above it, to its closing brace or semicolon.</summary>
        public (int First, int Last) Extent(int at, string name)
        {
            var first = LineOf(at);
            bool Preamble(string line) => line.TrimStart().StartsWith("///") || line.TrimStart().StartsWith('[');
            while (first > 0 && Preamble(Lines[first - 1]))
                first--;
            return (first, LineOf(EndOf(at + name.Length)));
        }

        /// <summary>Where the declaration going on at <paramref name="from"/> ends: its '}' or ';'.</summary>
        int EndOf(int from)
        {
            var level = _depth[from];
            var parens = 0;
            var arrow = false;
            for (var i = from; i < _text.Length; i++)
            {
                if (!_code[i])
                    continue;
                var c = _text[i];
                if (c is '(' or '[')
                    parens++;
                else if (c is ')' or ']')
                    parens--;
                else if (c == '=' && At(i + 1) == '>' && parens == 0 && _depth[i] == level)
                    arrow = true;
                else if (c == ';' && parens == 0 && _depth[i] == level)
                    return i;
                else if (c == '{' && parens == 0 && _depth[i] == level && !arrow)
                {
                    var close = Close(i);
                    // A property initialiser after its accessors: { get; } = value;
                    var next = NextCode(close + 1);
                    if (next >= 0 && _text[next] == '=' && At(next + 1) != '>')
                    {
                        i = next;
                        arrow = true;
                        continue;
                    }
                    return close;
                }
            }
            return _text.Length - 1;
        }

        int Close(int open)
        {
            for (var i = open + 1; i < _text.Length; i++)
                if (_code[i] && _text[i] == '}' && _depth[i] == _depth[open] + 1)
                    return i;
            return _text.Length - 1;
        }

        int Open(int close)
        {
            for (var i = close - 1; i >= 0; i--)
                if (_code[i] && _text[i] == '{' && _depth[i] == _depth[close] - 1)
                    return i;
            return 0;
        }

        int ParenDepth(int from, int to)
        {
            var d = 0;
            for (var i = from; i < to; i++)
                if (_code[i])
                    d +=
                        _text[i] is '(' or '[' ? 1
                        : _text[i] is ')' or ']' ? -1
                        : 0;
            return d;
        }

        int NextCode(int i)
        {
            for (; i < _text.Length; i++)
                if (_code[i] && !char.IsWhiteSpace(_text[i]))
                    return i;
            return -1;
        }

        int PreviousCode(int i)
        {
            for (; i >= 0; i--)
                if (_code[i] && !char.IsWhiteSpace(_text[i]))
                    return i;
            return -1;
        }

        int LineOf(int position) => _text.AsSpan(0, position).Count('\n');

        char At(int i) => i < _text.Length ? _text[i] : '\0';
    }
}
