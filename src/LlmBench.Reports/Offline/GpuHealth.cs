namespace LlmBench.Reports.Offline;

/// <summary>One GPU's health over the measurement window (NVML samples); null fields were not reported by the GPU.</summary>
/// <param name="ThrottleShare">Per clock-event reason (sw-power, hw-thermal, …), the share of samples it was active.</param>
/// <param name="ThrottledShare">Share of samples with any reason that slows the clocks under load (power or thermal caps, slowdowns).</param>
public sealed record GpuHealth(
    int GpuIndex,
    string Name,
    int Samples,
    double? MeanTemperatureC,
    double? MaxTemperatureC,
    double? MeanPowerWatts,
    double? MaxPowerWatts,
    double? MeanSmClockMHz,
    double? MinSmClockMHz,
    double? MeanMemoryClockMHz,
    double? MeanGpuUtilizationPercent,
    double? MaxMemoryUsedBytes,
    long? MemoryUsedAtStartBytes,
    long? MemoryUsedAtEndBytes,
    double? EnergyJoules,
    string EnergySource,
    IReadOnlyDictionary<string, double> ThrottleShare,
    double? ThrottledShare);
