using System.Text.Json.Nodes;

namespace LlmBench.Reports.Offline.Export;

/// <summary>
/// One GPU's health as JSON, the same object in every result file that has one: `llmbench run`'s "gpu_health"
/// and each entry of `bench serve`'s "gpu_telemetry"."gpus". Null values are fields the GPU did not report.
/// </summary>
internal static class GpuHealthJson
{
    public static JsonObject Build(GpuHealth h)
    {
        var share = new JsonObject();
        foreach (var (reason, value) in h.ThrottleShare)
            share[reason] = value;
        return new JsonObject
        {
            ["gpu_index"] = h.GpuIndex,
            ["name"] = h.Name,
            ["uuid"] = h.Uuid,
            ["samples"] = h.Samples,
            ["duration_s"] = h.DurationSeconds,
            ["sample_rate_hz"] = h.SampleRateHz,
            ["mean_temperature_c"] = h.MeanTemperatureC,
            ["max_temperature_c"] = h.MaxTemperatureC,
            ["mean_power_w"] = h.MeanPowerWatts,
            ["max_power_w"] = h.MaxPowerWatts,
            ["mean_sm_clock_mhz"] = h.MeanSmClockMHz,
            ["min_sm_clock_mhz"] = h.MinSmClockMHz,
            ["mean_memory_clock_mhz"] = h.MeanMemoryClockMHz,
            ["mean_gpu_utilization_pct"] = h.MeanGpuUtilizationPercent,
            ["max_gpu_utilization_pct"] = h.MaxGpuUtilizationPercent,
            ["max_memory_used_bytes"] = h.MaxMemoryUsedBytes,
            ["memory_used_at_start_bytes"] = h.MemoryUsedAtStartBytes,
            ["memory_used_at_end_bytes"] = h.MemoryUsedAtEndBytes,
            ["energy_j"] = h.EnergyJoules,
            ["energy_source"] = h.EnergySource,
            ["throttled_share"] = h.ThrottledShare,
            ["clock_event_share"] = share,
        };
    }
}
