using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmBench.Cli;

/// <summary>JSON output of the commands: snake_case keys (as vLLM's results use), enums as strings, nulls kept.</summary>
internal static class CliJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
