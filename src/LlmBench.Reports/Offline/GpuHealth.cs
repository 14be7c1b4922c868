namespace LlmBench.Reports.Offline;

/// <summary>One GPU's health over the measurement window (NVML samples); null fields were not reported by the GPU.</summary>
/// <param name="Uuid">NVML's UUID ("GPU-…"), or null where the caller did not know it.</param>
/// <param name="DurationSeconds">From the first sample to the last (0 with fewer than two).</param>
/// <param name="ThrottleShare">Per clock-event reason (sw-power, hw-thermal, …), the share of samples it was active.</param>
/// <param name="ThrottledShare">Share of samples with any reason that slows the clocks under load (power or thermal caps, slowdowns).</param>
public sealed record GpuHealth(
    int GpuIndex,
    string Name,
    string? Uuid,
    int Samples,
    double DurationSeconds,
    double? MeanTemperatureC,
    double? MaxTemperatureC,
    double? MeanPowerWatts,
    double? MaxPowerWatts,
    double? MeanSmClockMHz,
    double? MinSmClockMHz,
    double? MeanMemoryClockMHz,
    double? MeanGpuUtilizationPercent,
    double? MaxGpuUtilizationPercent,
    double? MaxMemoryUsedBytes,
    long? MemoryUsedAtStartBytes,
    long? MemoryUsedAtEndBytes,
    double? EnergyJoules,
    string EnergySource,
    IReadOnlyDictionary<string, double> ThrottleShare,
    double? ThrottledShare)
{
    /// <summary>Samples per second over <see cref="DurationSeconds"/> (intervals / time); null with fewer than two samples.</summary>
    public double? SampleRateHz => Samples > 1 && DurationSeconds > 0 ? (Samples - 1) / DurationSeconds : null;
}
