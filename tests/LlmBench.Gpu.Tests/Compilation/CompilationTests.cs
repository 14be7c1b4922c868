using LlmBench.Gpu.Compilation;

namespace LlmBench.Gpu.Tests.Compilation;

public class CompilationTests
{
    private static readonly int[] Nvrtc13Architectures = [75, 80, 86, 87, 89, 90, 100, 103, 110, 120, 121];

    [Fact]
    public void Hopper_GetsTheArchSpecificTarget()
    {
        var target = CompileTarget.For(new ComputeCapability(9, 0), Nvrtc13Architectures, "13.0");
        Assert.Equal("--gpu-architecture=sm_90a", target.Option);
        Assert.True(target.IsCubin);
    }

    [Fact]
    public void OtherGpus_GetTheirOwnArchitecture()
    {
        Assert.Equal("sm_89", CompileTarget.For(new ComputeCapability(8, 9), Nvrtc13Architectures, "13.0").Architecture);
        Assert.Equal("sm_80", CompileTarget.For(new ComputeCapability(8, 0), Nvrtc13Architectures, "13.0").Architecture);
    }

    [Fact]
    public void AGpuNewerThanNvrtc_GetsPtxForTheNewestKnownArchitecture()
    {
        var target = CompileTarget.For(new ComputeCapability(12, 0), [75, 80, 86, 89, 90], "12.4");
        Assert.Equal("compute_90", target.Architecture);
        Assert.False(target.IsCubin);
    }

    [Fact]
    public void Volta_WithNvrtc13_SaysToInstallCuda12()
    {
        var error = Assert.Throws<GpuUnavailableException>(() => CompileTarget.For(new ComputeCapability(7, 0), Nvrtc13Architectures, "13.0"));
        Assert.Contains("compute capability 7.0", error.Message, StringComparison.Ordinal);
        Assert.Contains("CUDA 12", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CacheKey_ChangesWithEachInput_AndOnlyThen()
    {
        var source = new KernelSource("a.cu", "extern \"C\" __global__ void k() {}");
        var target = new CompileTarget("sm_90a", true);
        string[] options = ["--gpu-architecture=sm_90a", "-std=c++17"];
        var key = CubinCache.Key(source, options, target, "13.0");

        Assert.Equal(key, CubinCache.Key(source with { }, [.. options], target with { }, "13.0"));
        Assert.NotEqual(key, CubinCache.Key(source with { Code = source.Code + " " }, options, target, "13.0"));
        Assert.NotEqual(key, CubinCache.Key(source, [.. options, "-lineinfo"], target, "13.0"));
        Assert.NotEqual(key, CubinCache.Key(source, options, new CompileTarget("sm_89", true), "13.0"));
        Assert.NotEqual(key, CubinCache.Key(source, options, target, "13.1"));
    }

    [Fact]
    public void Cache_RoundTripsAnImage_AndMissesCleanly()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"llmbench-cache-{Guid.NewGuid():N}");
        try
        {
            var cache = new CubinCache(directory);
            var source = new KernelSource("fill.cu", "x");
            var target = new CompileTarget("sm_90a", true);
            var path = cache.PathFor(source, target, new string('c', 64));
            Assert.EndsWith(".cubin", path, StringComparison.Ordinal);
            Assert.Contains("fill-sm_90a-", path, StringComparison.Ordinal);
            Assert.Null(cache.TryRead(path));

            byte[] image = [0x7F, (byte)'E', (byte)'L', (byte)'F', 1, 2, 3];
            cache.Write(path, image);
            Assert.Equal(image, cache.TryRead(path));
            Assert.Empty(Directory.GetFiles(directory, "*.tmp"));
        }
        finally
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void BuiltinKernels_AreEmbedded()
    {
        Assert.Contains("fill_uniform_bf16", KernelSource.Builtin("random_fill.cu").Code, StringComparison.Ordinal);
        Assert.Contains("read_reduce_f32", KernelSource.Builtin("peak_bandwidth.cu").Code, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => KernelSource.Builtin("missing.cu"));
    }

    [Fact]
    public void Paths_ComeFromTheEnvironment_WithOverrides()
    {
        var home = GpuPaths.FromEnvironment(v => v == "HOME" ? "/home/u" : null);
        Assert.Equal("/home/u/.cache/llmbench", home.DataDirectory);
        Assert.Equal("/home/u/.cache/llmbench/kernels", home.KernelCacheDirectory);

        var xdg = GpuPaths.FromEnvironment(v => v switch { "HOME" => "/home/u", "XDG_CACHE_HOME" => "/xdg", _ => null });
        Assert.Equal("/xdg/llmbench", xdg.DataDirectory);

        var explicitly = GpuPaths.FromEnvironment(v => v switch { "LLMBENCH_HOME" => "/data", "LLMBENCH_KERNEL_CACHE" => "/fast/kernels", _ => null });
        Assert.Equal("/data", explicitly.DataDirectory);
        Assert.Equal("/fast/kernels", explicitly.KernelCacheDirectory);
        Assert.Equal("/data/ceilings", explicitly.CeilingsDirectory);
    }
}
