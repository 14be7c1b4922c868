using LlmBench.Gpu;
using LlmBench.Gpu.Compilation;

namespace LlmBench.Engine.Cuda.Tests;

/// <summary>GPU 0 and a private kernel cache shared by the tests; <see cref="SkipUnlessGpu"/> skips where there is no GPU (CI).</summary>
public sealed class CudaFixture : IDisposable
{
    /// <summary>
    /// $LLMBENCH_KERNEL_CACHE when set: used and kept, so compiled kernels outlive the run (the GPU machine's
    /// dev/device/validate.sh carries it between calls; entries are keyed by source, options, GPU and NVRTC version).
    /// Otherwise a private directory, removed at the end.
    /// </summary>
    private static readonly string? KeptCache = Environment.GetEnvironmentVariable("LLMBENCH_KERNEL_CACHE") is { Length: > 0 } kept ? kept : null;

    public CudaFixture()
    {
        try
        {
            Device = GpuDevice.Open(0);
            CacheDirectory = KeptCache ?? Path.Combine(Path.GetTempPath(), $"llmbench-engine-cuda-tests-{Guid.NewGuid():N}");
            Cache = new CubinCache(CacheDirectory);
        }
        catch (GpuException ex)
        {
            Problem = ex.Message;
        }
    }

    public GpuDevice? Device { get; }
    public CubinCache? Cache { get; }

    /// <summary>Executor settings with this fixture's private kernel cache.</summary>
    public CudaExecutorSettings Settings => new() { KernelCache = Cache };
    public string CacheDirectory { get; } = string.Empty;
    public string? Problem { get; }

    public GpuDevice SkipUnlessGpu()
    {
        Assert.SkipWhen(Device is null, $"no usable GPU: {Problem}");
        return Device!;
    }

    public void Dispose()
    {
        Device?.Dispose();
        if (KeptCache is null && Directory.Exists(CacheDirectory))
            Directory.Delete(CacheDirectory, recursive: true);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CudaCollection : ICollectionFixture<CudaFixture>
{
    public const string Name = "CUDA";
}
