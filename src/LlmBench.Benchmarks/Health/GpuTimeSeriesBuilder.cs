using LlmBench.Reports.Offline;
using LlmBench.Telemetry;

namespace LlmBench.Benchmarks.Health;

/// <summary>The NVML samples of a <see cref="GpuTelemetryWindow"/> as the bounded time series a result file keeps, one per GPU.</summary>
public static class GpuTimeSeriesBuilder
{
    /// <summary>Every GPU of <paramref name="window"/> over all of it; GPUs with no sample are left out.</summary>
    public static IReadOnlyList<GpuTimeSeries> ForAll(GpuTelemetryWindow window)
    {
        var samples = window.Samples;
        return window.Gpus.Select(g => For(g.Index, g.Name, samples)).OfType<GpuTimeSeries>().ToArray();
    }

    /// <summary>GPU <paramref name="gpuIndex"/>'s samples among <paramref name="samples"/>, down-sampled; null when it has none.</summary>
    public static GpuTimeSeries? For(int gpuIndex, string name, IReadOnlyList<GpuSample> samples)
    {
        var own = samples.Where(s => s.GpuIndex == gpuIndex).OrderBy(s => s.ElapsedSeconds).ToArray();
        var series = GpuTimeSeriesDownsampler.Downsample(gpuIndex, name, own.Select(s => new TelemetryReading(
            s.ElapsedSeconds, s.Reading.TemperatureC, s.Reading.PowerWatts, s.Reading.SmClockMHz, s.Reading.MemoryUsedBytes)).ToArray());
        return series is null ? null : series with { StartUtc = own[0].Timestamp };
    }
}
