using System.Text.Json.Nodes;
using LlmBench.Reports.Offline.Export;
using LlmBench.Reports.Results;
using LlmBench.Reports.Statistics;

namespace LlmBench.Reports.Latency.Export;

/// <summary>
/// `llmbench latency`'s JSON: `vllm bench latency`'s keys (avg_latency, latencies, percentiles) at the top level beside
/// schema_version, result_kind "latency" and configuration, then the prefill/decode split and ours.
/// </summary>
public static class LatencyResultJson
{
    public const string ResultKind = "latency";

    public static JsonObject Build(LatencyResult r)
    {
        var percentiles = new JsonObject();
        foreach (var p in r.LatencySeconds.Percentiles)
            percentiles[p.Label] = p.Value;
        return new JsonObject
        {
            ["schema_version"] = ResultSchema.Version,
            ["result_kind"] = ResultKind,
            ["configuration"] = ConfigurationJson.Build(r.Configuration),
            ["date"] = r.Date,
            ["avg_latency"] = r.LatencySeconds.Mean,
            ["latencies"] = new JsonArray(r.LatenciesSeconds.Select(l => (JsonNode?)l).ToArray()),
            ["percentiles"] = percentiles,
            ["batch_size"] = r.BatchSize,
            ["input_len"] = r.InputLen,
            ["output_len"] = r.OutputLen,
            ["num_iters_warmup"] = r.WarmupIterations,
            ["num_iters"] = r.Iterations,
            ["ttft_ms"] = Distribution(r.TtftMs),
            ["tpot_ms"] = Distribution(r.TpotMs),
            ["decode_tokens_per_s"] = r.DecodeTokensPerSecond,
            ["definitions"] = "latency: one lockstep batch from adding its requests to its last token; ttft: until every request had its first token (the prefill); tpot: (latency - ttft) / (output_len - 1), one decode step of the batch; greedy, ignore_eos",
            ["incomplete"] = r.Incomplete,
            ["startup_s"] = r.StartupSeconds,
            ["backend"] = r.Backend,
            ["compile_s"] = r.CompileSeconds,
            ["compile_mode"] = r.CompileMode,
            ["model"] = OfflineJsonParts.Model(r.Model),
            ["platform"] = OfflineJsonParts.Platform(r.Platform),
        };
    }

    private static JsonObject Distribution(DistributionSummary s)
    {
        var o = new JsonObject { ["mean"] = s.Mean, ["std"] = s.StdDev };
        foreach (var p in s.Percentiles)
            o[$"p{p.Label}"] = p.Value;
        return o;
    }

    public static void Write(LatencyResult result, Stream destination) => OfflineJsonParts.Write(Build(result), destination);
}
