using LlmBench.Gpu.Compilation;

namespace LlmBench.Gpu.Tests.OnGpu;

/// <summary>
/// GPU 0 and a kernel compiler with a private cache, shared by the GPU tests; <see cref="SkipUnlessGpu"/> skips a
/// test on machines without one (CI).
/// </summary>
public sealed class GpuFixture : IDisposable
{
    public GpuFixture()
    {
        try
        {
            Device = GpuDevice.Open(0);
            CacheDirectory = Path.Combine(Path.GetTempPath(), $"llmbench-test-kernels-{Guid.NewGuid():N}");
            Compiler = new KernelCompiler(Device, new CubinCache(CacheDirectory));
        }
        catch (GpuUnavailableException ex)
        {
            Problem = ex.Message;
        }
    }

    public GpuDevice? Device { get; }

    public KernelCompiler? Compiler { get; }

    public string CacheDirectory { get; } = string.Empty;

    public string? Problem { get; }

    public (GpuDevice Device, KernelCompiler Compiler) SkipUnlessGpu()
    {
        Assert.SkipWhen(Device is null, $"no usable GPU: {Problem}");
        return (Device!, Compiler!);
    }

    public void Dispose()
    {
        Device?.Dispose();
        if (Directory.Exists(CacheDirectory))
            Directory.Delete(CacheDirectory, recursive: true);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GpuCollection : ICollectionFixture<GpuFixture>
{
    public const string Name = "GPU";
}
