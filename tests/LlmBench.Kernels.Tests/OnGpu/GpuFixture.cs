using LlmBench.Gpu;
using LlmBench.Gpu.Compilation;

namespace LlmBench.Kernels.Tests.OnGpu;

/// <summary>
/// GPU 0, one stream and a kernel compiler with a private cubin cache, shared by the GPU tests; kernel families are
/// compiled once per shape and reused. <see cref="SkipUnlessGpu"/> skips a test where there is no GPU (CI).
/// </summary>
public sealed class GpuFixture : IDisposable
{
    /// <summary>
    /// $LLMBENCH_KERNEL_CACHE when set: used and kept, so compiled kernels outlive the run (the GPU machine's
    /// dev/device/validate.sh carries it between calls; entries are keyed by source, options, GPU and NVRTC version).
    /// Otherwise a private directory, removed at the end.
    /// </summary>
    private static readonly string? KeptCache = Environment.GetEnvironmentVariable("LLMBENCH_KERNEL_CACHE") is { Length: > 0 } kept ? kept : null;

    private readonly Dictionary<string, KernelFamily> _families = [];

    public GpuFixture()
    {
        try
        {
            Device = GpuDevice.Open(0);
            CacheDirectory = KeptCache ?? Path.Combine(Path.GetTempPath(), $"llmbench-kernel-tests-{Guid.NewGuid():N}");
            Compiler = new KernelCompiler(Device, new CubinCache(CacheDirectory));
            Stream = Device.CreateStream();
        }
        catch (GpuUnavailableException ex)
        {
            Problem = ex.Message;
        }
    }

    public GpuDevice? Device { get; }

    public KernelCompiler? Compiler { get; }

    public CudaStream? Stream { get; }

    public string CacheDirectory { get; } = string.Empty;

    public string? Problem { get; }

    public Gpu SkipUnlessGpu()
    {
        Assert.SkipWhen(Device is null, $"no usable GPU: {Problem}");
        return new Gpu(Device!, Stream!, this);
    }

    /// <summary>Like <see cref="SkipUnlessGpu"/>, and skips on GPUs without fp8 conversions (compute capability below 8.9).</summary>
    public Gpu SkipUnlessFp8()
    {
        var gpu = SkipUnlessGpu();
        Assert.SkipUnless(gpu.Device.Info.ComputeCapability.SupportsFp8, $"{gpu.Device.Info.Name} has no fp8 (compute capability {gpu.Device.Info.ComputeCapability})");
        return gpu;
    }

    /// <summary>The family compiled for <paramref name="key"/> (its shapes), made on first use.</summary>
    public T Family<T>(string key, Func<KernelCompiler, T> create)
        where T : KernelFamily
    {
        lock (_families)
        {
            var name = $"{typeof(T).Name}:{key}";
            if (!_families.TryGetValue(name, out var family))
                _families[name] = family = create(Compiler!);
            return (T)family;
        }
    }

    public void Dispose()
    {
        foreach (var family in _families.Values)
            family.Dispose();
        Stream?.Dispose();
        Device?.Dispose();
        if (KeptCache is null && Directory.Exists(CacheDirectory))
            Directory.Delete(CacheDirectory, recursive: true);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GpuCollection : ICollectionFixture<GpuFixture>
{
    public const string Name = "GPU";
}
