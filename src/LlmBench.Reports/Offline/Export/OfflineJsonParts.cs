using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmBench.Reports.Statistics;

namespace LlmBench.Reports.Offline.Export;

/// <summary>The pieces the throughput and run JSON files share, with vLLM's key names where vLLM has them.</summary>
internal static class OfflineJsonParts
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>mean_ttft_ms, median_ttft_ms, std_ttft_ms, p50_ttft_ms, … for ttft, tpot and e2el.</summary>
    public static void AddLatency(JsonObject o, LatencySummary latency)
    {
        Add(o, "ttft", latency.TtftMs);
        Add(o, "tpot", latency.TpotMs);
        Add(o, "e2el", latency.E2elMs);
    }

    private static void Add(JsonObject o, string key, DistributionSummary s)
    {
        o[$"mean_{key}_ms"] = s.Mean;
        o[$"median_{key}_ms"] = s.Median;
        o[$"std_{key}_ms"] = s.StdDev;
        foreach (var p in s.Percentiles)
            o[$"p{p.Label}_{key}_ms"] = p.Value;
    }

    public static JsonObject Activity(EngineActivity a) => new()
    {
        ["steps"] = a.Steps,
        ["peak_kv_cache_usage"] = a.PeakKvCacheUsage,
        ["mean_kv_cache_usage"] = a.MeanKvCacheUsage,
        ["max_running_requests"] = a.MaxRunningRequests,
        ["mean_running_requests"] = a.MeanRunningRequests,
        ["max_waiting_requests"] = a.MaxWaitingRequests,
        ["preemptions"] = a.Preemptions,
    };

    public static JsonObject Platform(PlatformInfo p) => new()
    {
        ["llmbench_version"] = p.LlmBenchVersion,
        ["dotnet_version"] = p.DotnetVersion,
        ["os"] = p.OperatingSystem,
        ["cpu"] = p.CpuDescription,
        ["cpu_cores"] = p.CpuCores,
        ["device"] = p.Device,
        ["on_gpu"] = p.OnGpu,
        ["device_note"] = p.DeviceNote,
        ["gpu_name"] = p.GpuName,
        ["driver_version"] = p.DriverVersion,
        ["cuda_version"] = p.CudaVersion,
    };

    public static JsonObject Model(ModelInfo m) => new()
    {
        ["name"] = m.Name,
        ["description"] = m.Description,
        ["dummy_weights"] = m.DummyWeights,
        ["notice"] = m.Notice,
    };

    public static JsonObject Workload(WorkloadInfo w) => new()
    {
        ["name"] = w.Name,
        ["description"] = w.Description,
        ["temperature"] = w.Temperature,
        ["ignore_eos"] = true,
        ["folded_token_id_requests"] = w.FoldedTokenIdRequests,
        ["clipped_requests"] = w.ClippedRequests,
    };

    public static JsonObject? Floor(FloorEstimate? f) => f is null ? null : new JsonObject
    {
        ["bandwidth_bytes_per_s"] = f.BandwidthBytesPerSecond,
        ["bandwidth_source"] = f.BandwidthSource,
        ["bytes_moved"] = f.BytesMoved,
        ["floor_s"] = f.FloorSeconds,
        ["floor_output_throughput"] = f.FloorOutputTokensPerSecond,
        ["fraction_of_floor"] = f.FractionOfFloor,
    };

    public static void Write(JsonObject root, Stream destination)
    {
        using var writer = new Utf8JsonWriter(destination, new JsonWriterOptions { Indented = true, Encoder = Options.Encoder });
        root.WriteTo(writer);
    }
}
