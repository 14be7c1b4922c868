namespace LlmBench.Reports.Offline;

/// <summary>
/// One GPU's telemetry over time, down-sampled to one point per <see cref="IntervalSeconds"/> (see
/// <see cref="GpuTimeSeriesDownsampler"/>): the lists run in parallel, one entry per interval that had samples; a null
/// is a field the GPU did not report in that interval.
/// </summary>
/// <param name="Seconds">The start of each interval, in seconds from the first sample.</param>
/// <param name="TemperatureC">Mean GPU temperature over the interval.</param>
/// <param name="PowerWatts">Mean power draw over the interval.</param>
/// <param name="SmClockMHz">Mean SM clock over the interval.</param>
/// <param name="MemoryUsedBytes">The most memory used in the interval.</param>
public sealed record GpuTimeSeries(
    int GpuIndex,
    string Name,
    double IntervalSeconds,
    IReadOnlyList<double> Seconds,
    IReadOnlyList<double?> TemperatureC,
    IReadOnlyList<double?> PowerWatts,
    IReadOnlyList<double?> SmClockMHz,
    IReadOnlyList<double?> MemoryUsedBytes)
{
    /// <summary>When the first sample was taken, where known.</summary>
    public DateTimeOffset? StartUtc { get; init; }

    /// <summary>The raw samples the series was made from.</summary>
    public int SourceSamples { get; init; }
}

/// <summary>One raw reading of one GPU for <see cref="GpuTimeSeriesDownsampler"/>; null fields were not reported.</summary>
public readonly record struct TelemetryReading(double ElapsedSeconds, double? TemperatureC, double? PowerWatts, double? SmClockMHz, double? MemoryUsedBytes);
