using System.Text.Json.Nodes;
using LlmBench.Reports.Results;

namespace LlmBench.Reports.Offline.Export;

/// <summary>
/// `llmbench throughput`'s JSON: `vllm bench throughput`'s keys first (elapsed_time, num_requests, total_num_tokens,
/// requests_per_second, tokens_per_second), then the serving-style keys (output_throughput, mean_ttft_ms, …), then
/// ours under "llmbench".
/// </summary>
public static class ThroughputResultJson
{
    public static JsonObject Build(ThroughputResult r)
    {
        var o = new JsonObject
        {
            ["date"] = r.Date,
            ["model_id"] = r.Model.Name,
            ["elapsed_time"] = r.ElapsedSeconds,
            ["num_requests"] = r.Requests,
            ["completed"] = r.CompletedRequests,
            ["total_num_tokens"] = r.PromptTokens + r.OutputTokens,
            ["requests_per_second"] = r.RequestsPerSecond,
            ["tokens_per_second"] = r.TotalTokensPerSecond,
            ["total_input_tokens"] = r.PromptTokens,
            ["total_output_tokens"] = r.OutputTokens,
            ["output_throughput"] = r.OutputTokensPerSecond,
            ["total_token_throughput"] = r.TotalTokensPerSecond,
        };
        OfflineJsonParts.AddLatency(o, r.Latency);
        o["llmbench"] = new JsonObject
        {
            ["schema_version"] = ResultSchema.Version,
            ["result_kind"] = ResultKinds.Throughput,
            ["configuration"] = ConfigurationJson.Build(r.Configuration),
            ["incomplete"] = r.Incomplete,
            ["startup_s"] = r.StartupSeconds,
            ["backend"] = r.Backend,
            ["compile_s"] = r.CompileSeconds,
            ["latency_definitions"] = "vLLM's: TTFT = first token - send, TPOT = (E2EL - TTFT) / (output tokens - 1), E2EL = last token - send; token times are the end of the engine step that made them",
            ["model"] = OfflineJsonParts.Model(r.Model),
            ["workload"] = OfflineJsonParts.Workload(r.Workload),
            ["engine_activity"] = OfflineJsonParts.Activity(r.Activity),
            ["memory_bandwidth_floor"] = OfflineJsonParts.Floor(r.Floor),
            ["memory_bandwidth_floor_note"] = r.FloorNote,
            ["platform"] = OfflineJsonParts.Platform(r.Platform),
        };
        if (r.PerGpu is { } perGpu && r.Agreement is { } agreement)
        {
            var ours = (JsonObject)o["llmbench"]!;
            ours["gpus"] = new JsonArray(perGpu.Select((g, i) => (JsonNode)new JsonObject
            {
                ["device"] = g.Platform.Device,
                ["gpu_name"] = g.Platform.GpuName,
                ["elapsed_time"] = g.ElapsedSeconds,
                ["num_requests"] = g.Requests,
                ["completed"] = g.CompletedRequests,
                ["requests_per_second"] = g.RequestsPerSecond,
                ["output_throughput"] = g.OutputTokensPerSecond,
                ["total_token_throughput"] = g.TotalTokensPerSecond,
                ["deviation_from_mean_pct"] = agreement.DeviationsPercent[i],
                ["median_ttft_ms"] = g.Latency.TtftMs.Median,
                ["median_tpot_ms"] = g.Latency.TpotMs.Median,
                ["memory_bandwidth_floor"] = OfflineJsonParts.Floor(g.Floor),
                ["memory_bandwidth_floor_note"] = g.FloorNote,
            }).ToArray());
            ours[GpuAgreementJson.Key] = GpuAgreementJson.Build(agreement);
        }

        return o;
    }

    public static void Write(ThroughputResult result, Stream destination) => OfflineJsonParts.Write(Build(result), destination);
}
