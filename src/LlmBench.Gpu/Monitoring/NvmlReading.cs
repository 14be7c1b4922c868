namespace LlmBench.Gpu.Monitoring;

/// <summary>One reading of a GPU's live state. A null field is one this GPU or driver does not report ("n/a").</summary>
public sealed record NvmlReading(
    int? GpuUtilizationPercent,
    int? MemoryUtilizationPercent,
    long? MemoryUsedBytes,
    long? MemoryTotalBytes,
    int? TemperatureC,
    double? PowerWatts,
    long? EnergyMillijoules,
    int? SmClockMHz,
    int? MemoryClockMHz,
    ClockEventReasons? ClockEventReasons,
    int? PerformanceState);

/// <summary>What does not change while a program runs: limits, link, modes. Null where not reported.</summary>
public sealed record NvmlStaticInfo(
    string Name,
    string Uuid,
    string PciBusId,
    long? MemoryTotalBytes,
    double? PowerLimitWatts,
    int? MaxSmClockMHz,
    int? MaxMemoryClockMHz,
    int? MemoryBusWidthBits,
    int? PcieGenerationCurrent,
    int? PcieGenerationMax,
    int? PcieWidthCurrent,
    int? PcieWidthMax,
    bool? EccEnabled,
    bool? MigEnabled);
