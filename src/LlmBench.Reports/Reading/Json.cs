using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmBench.Reports.Reading;

/// <summary>Tolerant reads from result JSON: a missing key, a null or a value of another type is null, never an exception.</summary>
public static class Json
{
    public static double? Number(JsonNode? node, params string[] path)
    {
        var n = At(node, path);
        if (n is not JsonValue v)
            return null;
        return v.GetValueKind() switch
        {
            JsonValueKind.Number => v.GetValue<double>(),
            JsonValueKind.String when double.TryParse(v.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => null,
        };
    }

    public static string? Text(JsonNode? node, params string[] path)
    {
        var n = At(node, path);
        if (n is not JsonValue v)
            return null;
        return v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.Number => v.ToJsonString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
    }

    public static bool? Bool(JsonNode? node, params string[] path) =>
        At(node, path) is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValue<bool>() : null;

    public static JsonArray Array(JsonNode? node, params string[] path) => At(node, path) as JsonArray ?? [];

    public static JsonObject? Object(JsonNode? node, params string[] path) => At(node, path) as JsonObject;

    public static JsonNode? At(JsonNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not JsonObject o || !o.TryGetPropertyValue(key, out node))
                return null;
        }

        return node;
    }
}
