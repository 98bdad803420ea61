using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScienceOfDL.Results;

/// <summary>
/// What produced a result: a readable kind (e.g. "grokking-p113") and the complete settings (any record or anonymous
/// object: model, data, split, every option of the method, code-relevant constants). The settings' JSON is the key, so
/// changing any field, anywhere, gives another key and another file. <see cref="Variant"/> is a readable part of the
/// key kept out of the hash (e.g. "40000steps"), so results that differ only there can find each other.
/// </summary>
public sealed record ResultKey(string Kind, string Settings, string Variant = "")
{
    static readonly JsonSerializerOptions Canonical = new()
    {
        IncludeFields = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public static ResultKey Of(string kind, object settings, string variant = "")
    {
        if (kind.Length == 0 || kind.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
            throw new ArgumentException(
                $"A result kind is a file-name stem (letters, digits, - _ .): '{kind}'.",
                nameof(kind)
            );
        if (variant.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
            throw new ArgumentException($"A result variant is a file-name part (letters, digits, - _ .): '{variant}'.");
        return new(kind, Json(settings), variant);
    }

    /// <summary>The JSON a settings object is keyed by (properties in declaration order, enums by name).</summary>
    public static string Json(object settings) => JsonSerializer.Serialize(settings, settings.GetType(), Canonical);

    /// <summary>Settings JSON read back into the record <paramref name="type"/> that keys them, for a test that the
    /// code still writes committed keys as they were saved.</summary>
    public static object Parse(Type type, string json) =>
        JsonSerializer.Deserialize(json, type, Canonical) ?? throw new ArgumentException($"null settings: {json}");

    /// <summary>12 hex digits of SHA-256 over kind and settings: the family of results that differ only in
    /// <see cref="Variant"/>.</summary>
    public string Hash =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Kind + "\n" + Settings)))[..12].ToLowerInvariant();

    /// <summary>The file-name stem of everything saved under this key.</summary>
    public string Stem => Variant.Length == 0 ? $"{Kind}-{Hash}" : $"{Kind}-{Hash}-{Variant}";

    public override string ToString() => $"{Stem}: {Settings}";
}
