using LlmBench.Gpu.Monitoring;
using LlmBench.Gpu.Peak;

namespace LlmBench.Benchmarks.Platform;

/// <summary>
/// What a benchmark needs to know about the GPU an engine runs on: its NVML index (for telemetry; CUDA and NVML
/// may number GPUs differently, their UUIDs agree), name, driver and CUDA versions, and its bandwidth for the floor.
/// </summary>
public sealed record GpuIdentity(int CudaOrdinal, int? NvmlIndex, string Name, string Uuid, string? DriverVersion, string CudaVersion, double? TheoreticalBandwidthBytesPerSecond)
{
    public static GpuIdentity Find(int cudaOrdinal)
    {
        var info = Gpu.Cuda.GetDeviceInfo(cudaOrdinal);
        using var nvml = NvmlSession.TryOpen(out _);
        return new GpuIdentity(cudaOrdinal, nvml?.FindByUuid(info.Uuid)?.Index, info.Name, info.Uuid, nvml?.DriverVersion,
            Gpu.Cuda.DriverVersionText, info.TheoreticalBandwidthBytesPerSecond ?? GpuDatasheet.Find(info.Name)?.MemoryBandwidthGBps * 1e9);
    }

    /// <summary>The GPU of an engine, or null for one on the CPU.</summary>
    public static GpuIdentity? Of(EngineUnderTest engine) => engine.GpuOrdinal is { } ordinal ? Find(ordinal) : null;

    /// <summary>`llmbench peak`'s measured copy bandwidth when it ran on this GPU, else the theoretical one, saying which.</summary>
    public (double BytesPerSecond, string Source)? Bandwidth()
    {
        if (MeasuredCeilingsStore.Default().MeasuredBandwidthBytesPerSecond(Uuid) is { } measured)
            return (measured, "measured by `llmbench peak` (copy bandwidth)");
        if (TheoreticalBandwidthBytesPerSecond is { } theoretical)
            return (theoretical, "theoretical (bus width × memory clock); `llmbench peak` has not measured this GPU yet");
        return null;
    }
}
