using System.Text.Json;

namespace LlmBench.Cli.Tests.Serving;

/// <summary>Splits an SSE body into its data payloads (test side; the load generator has the real parser).</summary>
internal static class Sse
{
    public static List<string> DataEvents(string body) =>
        body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Trim())
            .Where(e => e.StartsWith("data: ", StringComparison.Ordinal))
            .Select(e => e["data: ".Length..])
            .ToList();

    public static List<JsonElement> JsonChunks(string body) =>
        DataEvents(body).Where(d => d != "[DONE]").Select(d => JsonDocument.Parse(d).RootElement.Clone()).ToList();
}
