using LlmBench.Gpu.Interop.Loading;

namespace LlmBench.Gpu.Compilation;

/// <summary>
/// Turns embedded CUDA C++ into loaded modules for one GPU: compiles with NVRTC for that GPU's exact architecture,
/// keeps the result in a <see cref="CubinCache"/> so later runs skip the compiler, and reports NVRTC's log when the
/// source does not compile.
/// </summary>
public sealed class KernelCompiler
{
    private static readonly string[] BaseOptions = ["-std=c++17"];

    private readonly GpuDevice _device;

    public KernelCompiler(GpuDevice device, CubinCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
        Cache = cache ?? new CubinCache(GpuPaths.FromEnvironment().KernelCacheDirectory);
        RequireLibraryMatchesDriver();
        Target = CompileTarget.For(device.Info.ComputeCapability, NvrtcCompiler.SupportedArchitectures, NvrtcCompiler.Version);
    }

    public CubinCache Cache { get; }

    public CompileTarget Target { get; }

    public static string NvrtcVersion => NvrtcCompiler.Version;

    /// <summary>How many compilations this instance ran and how many it answered from the cache.</summary>
    public int Compilations { get; private set; }

    public int CacheHits { get; private set; }

    /// <summary>The options NVRTC gets for <paramref name="extraOptions"/>: architecture first, then ours, then the caller's.</summary>
    public IReadOnlyList<string> OptionsFor(IEnumerable<string>? extraOptions) =>
        [Target.Option, .. BaseOptions, .. extraOptions ?? []];

    /// <summary>The compiled image for this GPU, from the cache when an identical compilation was done before.</summary>
    public byte[] Compile(KernelSource source, IEnumerable<string>? extraOptions = null) => CompileOrReuse(source, extraOptions).Image;

    /// <summary>Compiles (or finds in the cache) and loads the module; a cached image the driver rejects is rebuilt once.</summary>
    public CudaModule Load(KernelSource source, IEnumerable<string>? extraOptions = null)
    {
        var options = extraOptions?.ToArray();
        var (image, path, fromCache) = CompileOrReuse(source, options);
        try
        {
            return _device.LoadModule(image);
        }
        catch (CudaException) when (fromCache)
        {
            File.Delete(path);
            return _device.LoadModule(CompileOrReuse(source, options).Image);
        }
    }

    private (byte[] Image, string Path, bool FromCache) CompileOrReuse(KernelSource source, IEnumerable<string>? extraOptions)
    {
        ArgumentNullException.ThrowIfNull(source);
        var options = OptionsFor(extraOptions);
        var key = CubinCache.Key(source, options, Target, NvrtcCompiler.Version);
        var path = Cache.PathFor(source, Target, key);
        if (Cache.TryRead(path) is { } cached)
        {
            CacheHits++;
            return (cached, path, true);
        }

        var image = NvrtcCompiler.Compile(source, options, Target.IsCubin);
        Compilations++;
        Cache.Write(path, image);
        return (image, path, false);
    }

    // NVRTC 13's output needs a CUDA 13 driver; say so instead of failing later at module load.
    private static void RequireLibraryMatchesDriver()
    {
        var driverMajor = Cuda.DriverVersion / 1000;
        if (NvrtcCompiler.MajorVersion > driverMajor)
        {
            throw new GpuUnavailableException(
                $"{GpuLibraryLoader.LoadedPath(GpuLibrary.Nvrtc)} is NVRTC {NvrtcCompiler.Version}, newer than the driver's CUDA {Cuda.DriverVersionText}; " +
                $"update the driver or install CUDA {driverMajor} libraries (e.g. `pip install nvidia-cuda-nvrtc-cu{driverMajor}`).");
        }
    }
}
