using LlmBench.Benchmarks.Platform;
using LlmBench.Gpu.Monitoring;
using LlmBench.Reports.Offline;
using LlmBench.Telemetry;

namespace LlmBench.Benchmarks.Health;

/// <summary>Reduces the NVML samples taken inside a measurement window to one <see cref="GpuHealth"/> per GPU.</summary>
public static class GpuHealthBuilder
{
    /// <summary>Reasons that pull clocks down under load; idle, application clocks and sync boost are not throttling.</summary>
    public const ClockEventReasons Throttling =
        ClockEventReasons.SoftwarePowerCap | ClockEventReasons.HardwareSlowdown | ClockEventReasons.SoftwareThermalSlowdown |
        ClockEventReasons.HardwareThermalSlowdown | ClockEventReasons.HardwarePowerBrakeSlowdown;

    /// <summary>The health of <paramref name="gpu"/> over the part of <paramref name="window"/> from <paramref name="startUtc"/> to <paramref name="endUtc"/>; null when NVML does not list it.</summary>
    public static GpuHealth? For(GpuTelemetryWindow window, GpuIdentity gpu, DateTimeOffset startUtc, DateTimeOffset endUtc) =>
        gpu.NvmlIndex is { } index ? For(index, gpu.Name, window.Samples, startUtc, endUtc, gpu.Uuid) : null;

    /// <summary>Every GPU of <paramref name="window"/> over all of it, each with its UUID.</summary>
    public static IReadOnlyList<GpuHealth> ForAll(GpuTelemetryWindow window)
    {
        var samples = window.Samples;
        return window.Gpus.Select(g => For(g.Index, g.Name, samples, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, window.UuidOf(g.Index))).ToArray();
    }

    /// <summary>The health of GPU <paramref name="gpuIndex"/> over the samples taken from <paramref name="startUtc"/> to <paramref name="endUtc"/>.</summary>
    public static GpuHealth For(int gpuIndex, string name, IReadOnlyList<GpuSample> samples, DateTimeOffset startUtc, DateTimeOffset endUtc, string? uuid = null)
    {
        var inWindow = samples.Where(s => s.GpuIndex == gpuIndex && s.Timestamp >= startUtc && s.Timestamp <= endUtc)
            .OrderBy(s => s.ElapsedSeconds).ToArray();
        var summary = TelemetrySummary.From(inWindow, [(gpuIndex, name)]).Gpus[0];
        var readings = inWindow.Select(s => s.Reading).ToArray();
        var reasons = readings.Where(r => r.ClockEventReasons is not null).Select(r => r.ClockEventReasons!.Value).ToArray();
        var smClocks = readings.Where(r => r.SmClockMHz is not null).Select(r => (double)r.SmClockMHz!.Value).ToArray();
        return new GpuHealth(
            gpuIndex,
            name,
            uuid,
            inWindow.Length,
            summary.DurationSeconds,
            summary.TemperatureC?.Mean,
            summary.TemperatureC?.Max,
            summary.PowerWatts?.Mean,
            summary.PowerWatts?.Max,
            summary.SmClockMHz?.Mean,
            smClocks.Length > 0 ? smClocks.Min() : null,
            summary.MemoryClockMHz?.Mean,
            summary.GpuUtilizationPercent?.Mean,
            summary.GpuUtilizationPercent?.Max,
            summary.MemoryUsedBytes?.Max,
            readings.FirstOrDefault(r => r.MemoryUsedBytes is not null)?.MemoryUsedBytes,
            readings.LastOrDefault(r => r.MemoryUsedBytes is not null)?.MemoryUsedBytes,
            summary.EnergyJoules,
            summary.EnergySource.ToString(),
            summary.ClockEventShare,
            reasons.Length > 0 ? reasons.Count(r => (r & Throttling) != 0) / (double)reasons.Length : null);
    }
}
