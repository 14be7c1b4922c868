using LlmBench.Gpu.Compilation;

namespace LlmBench.Engine.Cuda;

/// <summary>Backend knobs of the CUDA executor that are not engine options (those are <see cref="EngineOptions"/>).</summary>
public sealed record CudaExecutorSettings
{
    /// <summary>Where compiled kernels are cached; null uses the default cache directory.</summary>
    public CubinCache? KernelCache { get; init; }

    /// <summary>Lets the engine launch step N+1 before reading step N back (see <see cref="IOverlappedExecutor"/>).</summary>
    public bool Overlap { get; init; } = true;

    /// <summary>
    /// Times cuBLASLt's candidates for the decode-size GEMMs at start-up (about 4 s). Off by default: on the H100
    /// the kernels it picked in isolation made the batch-1 decode step slower (1.42 vs 1.24 ms).
    /// </summary>
    public bool AutotuneGemms { get; init; }

    /// <summary>Most partitions decode attention splits a context into (flash-decoding); small batches use up to this many.</summary>
    public int MaxDecodeSplits { get; init; } = 64;

    public static CudaExecutorSettings Default { get; } = new();
}
