namespace LlmBench.Reports.Offline;

/// <summary>Where a benchmark ran and with what software; GPU fields are null on a CPU run.</summary>
public sealed record PlatformInfo(
    string LlmBenchVersion,
    string DotnetVersion,
    string OperatingSystem,
    string CpuDescription,
    int CpuCores,
    string Device,
    bool OnGpu,
    string? DeviceNote,
    string? GpuName,
    string? DriverVersion,
    string? CudaVersion);

/// <summary>The model a benchmark ran, and whether its weights were real.</summary>
public sealed record ModelInfo(string Name, string Description, bool DummyWeights, string? Notice);
