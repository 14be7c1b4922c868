using System.Text.Json.Nodes;
using LlmBench.Reports.Results;

namespace LlmBench.Reports.Offline.Export;

/// <summary>`llmbench run`'s JSON: the score and verdict first, then one entry per engine (GPU) with its health.</summary>
public static class RunResultJson
{
    public static JsonObject Build(RunResult r)
    {
        var engines = new JsonArray();
        foreach (var e in r.Engines)
            engines.Add(Engine(e));
        var o = new JsonObject
        {
            ["schema_version"] = ResultSchema.Version,
            ["result_kind"] = ResultKinds.Run,
            ["date"] = r.Date,
            ["benchmark"] = "llmbench run (standard workload)",
            ["model_id"] = r.Model.Name,
            ["score_output_tokens_per_s"] = r.TotalOutputTokensPerSecond,
            ["generations_per_s"] = r.TotalGenerationsPerSecond,
            ["total_output_tokens"] = r.TotalOutputTokens,
            ["valid"] = r.Valid,
            ["incomplete"] = r.Incomplete,
            ["requested_duration_s"] = r.RequestedDurationSeconds,
            ["startup_s"] = r.StartupSeconds,
            ["model"] = OfflineJsonParts.Model(r.Model),
            ["workload"] = OfflineJsonParts.Workload(r.Workload),
            ["platform"] = OfflineJsonParts.Platform(r.Platform),
            ["engines"] = engines,
        };
        o["configuration"] = ConfigurationJson.Build(r.Configuration);
        if (GpuTimeSeriesJson.Build(r.Telemetry) is { } telemetry)
            o[GpuTimeSeriesJson.Key] = telemetry;
        return o;
    }

    public static void Write(RunResult result, Stream destination) => OfflineJsonParts.Write(Build(result), destination);

    private static JsonObject Engine(RunEngineResult e)
    {
        var o = new JsonObject
        {
            ["device"] = e.Device,
            ["output_throughput"] = e.OutputTokensPerSecond,
            ["generations_per_s"] = e.GenerationsPerSecond,
            ["window_s"] = e.WindowSeconds,
            ["warmup_s"] = e.WarmupSeconds,
            ["total_output_tokens"] = e.OutputTokens,
            ["completed"] = e.CompletedRequests,
            ["total_input_tokens_of_completed"] = e.PromptTokensOfCompleted,
            ["concurrency_target"] = e.ConcurrencyTarget,
            ["joules_per_output_token"] = e.JoulesPerOutputToken,
            ["output_tokens_per_joule"] = e.OutputTokensPerJoule,
            ["error"] = e.Error,
            ["incomplete"] = e.Incomplete,
        };
        OfflineJsonParts.AddLatency(o, e.Latency);
        o["engine_activity"] = OfflineJsonParts.Activity(e.Activity);
        o["verdict"] = new JsonObject
        {
            ["valid"] = e.Verdict.Valid,
            ["reasons"] = new JsonArray(e.Verdict.Reasons.Select(s => (JsonNode?)s).ToArray()),
            ["notes"] = new JsonArray(e.Verdict.Notes.Select(s => (JsonNode?)s).ToArray()),
            ["window_s"] = e.Verdict.WindowSeconds,
            ["tolerance"] = e.Verdict.Tolerance,
        };
        o["windows"] = new JsonArray(e.Windows.Select(w => (JsonNode?)new JsonObject
        {
            ["start_s"] = w.StartSeconds,
            ["end_s"] = w.EndSeconds,
            ["output_tokens"] = w.OutputTokens,
            ["output_throughput"] = w.OutputTokensPerSecond,
            ["deviation_from_mean"] = w.DeviationFromMean,
        }).ToArray());
        o["memory_bandwidth_floor"] = OfflineJsonParts.Floor(e.Floor);
        o["gpu_health"] = e.Health is null ? null : GpuHealthJson.Build(e.Health);
        return o;
    }
}
