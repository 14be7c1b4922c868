using System.Globalization;
using System.Text.Json.Nodes;

namespace LlmBench.Reports.Offline.Export;

/// <summary>
/// The optional "telemetry" section of a result file (docs/RESULTS.md): per GPU its down-sampled series as parallel
/// arrays. Written only when something was sampled; files without it read as before.
/// </summary>
public static class GpuTimeSeriesJson
{
    public const string Key = "telemetry";

    /// <summary>The section, or null when there is no series with points (the caller then leaves the key out).</summary>
    public static JsonObject? Build(IReadOnlyList<GpuTimeSeries>? series)
    {
        if (series is null || series.All(s => s.Seconds.Count == 0))
            return null;
        return new JsonObject
        {
            ["note"] = "NVML samples down-sampled per interval: temperature, power and SM clock are the interval's means, memory used its maximum; t_s is each interval's start in seconds from the first sample",
            ["gpus"] = new JsonArray(series.Where(s => s.Seconds.Count > 0).Select(s => (JsonNode?)Gpu(s)).ToArray()),
        };
    }

    private static JsonObject Gpu(GpuTimeSeries s) => new()
    {
        ["gpu_index"] = s.GpuIndex,
        ["name"] = s.Name,
        ["start_utc"] = s.StartUtc?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["interval_s"] = s.IntervalSeconds,
        ["source_samples"] = s.SourceSamples,
        ["points"] = s.Seconds.Count,
        ["t_s"] = Array(s.Seconds.Select(x => (double?)x)),
        ["temperature_c"] = Array(s.TemperatureC),
        ["power_w"] = Array(s.PowerWatts),
        ["sm_clock_mhz"] = Array(s.SmClockMHz),
        ["memory_used_bytes"] = Array(s.MemoryUsedBytes),
    };

    private static JsonArray Array(IEnumerable<double?> values) => new(values.Select(v => v is { } d ? (JsonNode?)JsonValue.Create(d) : null).ToArray());
}
