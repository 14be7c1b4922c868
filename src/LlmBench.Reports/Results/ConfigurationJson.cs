using System.Text.Json.Nodes;

namespace LlmBench.Reports.Results;

/// <summary>The "configuration" object every result JSON carries beside its "schema_version".</summary>
internal static class ConfigurationJson
{
    public static JsonObject Build(ResultConfiguration c)
    {
        var options = new JsonObject();
        foreach (var (key, value) in c.EngineOptions)
            options[key] = value;
        return new JsonObject
        {
            ["command_line"] = new JsonArray(c.CommandLine.Select(a => (JsonNode?)a).ToArray()),
            ["engine_options"] = options,
            ["seed"] = c.Seed,
            ["git_commit"] = c.GitCommit,
            ["llmbench_version"] = c.LlmBenchVersion,
        };
    }
}
