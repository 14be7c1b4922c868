namespace LlmBench.Gpu;

/// <summary>What the CUDA driver says about one GPU. Clock fields are null where the driver no longer reports them.</summary>
public sealed record GpuDeviceInfo(
    int Ordinal,
    string Name,
    string Uuid,
    string PciBusId,
    ComputeCapability ComputeCapability,
    int MultiprocessorCount,
    long TotalMemoryBytes,
    int MemoryBusWidthBits,
    int? MemoryClockKHz,
    int? MaxSmClockKHz,
    long L2CacheBytes,
    int MaxSharedMemoryPerBlockOptInBytes,
    bool EccEnabled)
{
    /// <summary>Bus width × memory clock × 2 (double data rate): the datasheet-style ceiling, null when the clock is unknown.</summary>
    public double? TheoreticalBandwidthBytesPerSecond =>
        MemoryClockKHz is { } khz && khz > 0 ? TheoreticalBandwidth(khz / 1000.0, MemoryBusWidthBits) : null;

    public bool IsSupported => ComputeCapability.IsSupported;

    /// <summary>The sentence shown for a GPU below compute capability 7.0.</summary>
    public string UnsupportedReason =>
        $"GPU {Ordinal} ({Name}, compute capability {ComputeCapability}) is older than Volta (7.0), which LlmBench's kernels need; " +
        "use a newer GPU, or pick another one with --device.";

    public static double TheoreticalBandwidth(double memoryClockMHz, int busWidthBits) => 2.0 * memoryClockMHz * 1e6 * busWidthBits / 8.0;
}
