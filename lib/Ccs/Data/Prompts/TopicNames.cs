using System.Text.Json;

namespace ScienceOfDL.Ccs.Data;

/// <summary>Topic names as stored (DBpedia-14 style, "EducationalInstitution") and as written in prompts ("educational
/// institution").</summary>
public static class TopicNames
{
    public const string Company = "Company";

    static readonly Dictionary<string, string> Special = new()
    {
        ["MeanOfTransportation"] = "means of transportation",
        ["OfficeHolder"] = "office holder",
    };

    public static string Readable(string topic) =>
        Special.TryGetValue(topic, out var name)
            ? name
            : string.Concat(
                topic.Select(
                    (c, i) =>
                        char.IsUpper(c) && i > 0 ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()
                )
            );
}
