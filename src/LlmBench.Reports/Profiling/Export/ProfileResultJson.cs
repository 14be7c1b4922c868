using System.Text.Json.Nodes;
using LlmBench.Reports.Offline.Export;
using LlmBench.Reports.Results;

namespace LlmBench.Reports.Profiling.Export;

/// <summary>`llmbench profile` as JSON: our own format, so everything is at the top level.</summary>
public static class ProfileResultJson
{
    public static JsonObject Build(ProfileResult r) => new()
    {
        ["schema_version"] = ResultSchema.Version,
        ["result_kind"] = ResultKinds.Profile,
        ["date"] = r.Date,
        ["configuration"] = ConfigurationJson.Build(r.Configuration),
        ["model"] = OfflineJsonParts.Model(r.Model),
        ["platform"] = OfflineJsonParts.Platform(r.Platform),
        ["batch_size"] = r.BatchSize,
        ["input_len"] = r.InputLen,
        ["output_len"] = r.OutputLen,
        ["decode_context"] = r.DecodeContext,
        ["method"] = r.Method,
        ["peak_bandwidth_bytes_per_s"] = r.PeakBandwidthBytesPerSecond,
        ["cuda_graphs"] = r.Graphs,
        ["decode_step_gpu_ms"] = r.DecodeStepGpuMs,
        ["decode_step_host_ms"] = r.DecodeStepHostMs,
        ["decode_gpu_idle_share"] = r.DecodeIdleShare,
        ["timed_steps"] = r.TimedSteps,
        ["steps"] = new JsonArray(Step(r.Prefill), Step(r.Decode)),
        ["decode_trace"] = r.DecodeTrace is { } t ? Trace(t) : null,
        ["decode_trace_note"] = r.DecodeTraceNote,
    };

    private static JsonObject Trace(ProfiledTrace t) => new()
    {
        ["method"] = t.Method,
        ["steps"] = t.Steps,
        ["launches_per_step"] = t.LaunchesPerStep,
        ["span_us"] = t.SpanMicroseconds,
        ["busy_us"] = t.BusyMicroseconds,
        ["idle_share"] = t.IdleShare,
        ["dropped_records"] = t.Dropped,
        ["kernels"] = new JsonArray(t.Kernels.Select(k => (JsonNode)new JsonObject
        {
            ["name"] = k.Name,
            ["launches_per_step"] = k.LaunchesPerStep,
            ["us_per_step"] = k.MicrosecondsPerStep,
            ["share"] = k.Share,
        }).ToArray()),
    };

    private static JsonObject Step(ProfiledStep s) => new()
    {
        ["name"] = s.Name,
        ["tokens"] = s.Tokens,
        ["decode_sequences"] = s.DecodeSequences,
        ["prefill_tokens"] = s.PrefillTokens,
        ["calls"] = s.Calls,
        ["kernel_ms"] = s.KernelMs,
        ["bytes"] = s.Bytes,
        ["roles"] = new JsonArray(s.Roles.Select(role => (JsonNode)new JsonObject
        {
            ["role"] = role.Role,
            ["family"] = role.Family,
            ["calls"] = role.Calls,
            ["us_per_step"] = role.MicrosecondsPerStep,
            ["share"] = role.Share,
            ["bytes"] = role.Bytes,
            ["achieved_bytes_per_s"] = role.AchievedBytesPerSecond,
            ["fraction_of_peak"] = role.FractionOfPeak,
        }).ToArray()),
    };

    public static void Write(ProfileResult result, Stream destination) => OfflineJsonParts.Write(Build(result), destination);
}
