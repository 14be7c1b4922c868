using LlmBench.Engine.Loading;

namespace LlmBench.Benchmarks.Platform;

/// <summary>What a result says about the engine that was measured: its model, where it ran and how long it took to start.</summary>
/// <param name="Model">The model it loaded.</param>
/// <param name="DeviceDescription">"cpu (16 cores)" or "cuda:0 NVIDIA H100 80GB HBM3".</param>
/// <param name="GpuOrdinal">The CUDA ordinal of its GPU; null on the CPU.</param>
/// <param name="FallbackReason">Why auto fell back to the CPU, else null.</param>
/// <param name="StartupTime">Model load, kernel compile and graph capture, end to end.</param>
public sealed record EngineUnderTest(LoadedModel Model, string DeviceDescription, int? GpuOrdinal, string? FallbackReason, TimeSpan StartupTime)
{
    public bool OnGpu => GpuOrdinal is not null;

    /// <summary>Bytes per KV-cache element: 2 (bf16), 1 with --kv-cache-dtype fp8. The bandwidth floor reads it.</summary>
    public int KvBytesPerElement { get; init; } = 2;

    /// <summary>True with --quantization fp8 (the layers' linear weights in e4m3); the bandwidth floor reads it.</summary>
    public bool Fp8LayerWeights { get; init; }
}
