using System.Reflection;
using System.Runtime.InteropServices;

namespace LlmBench.Gpu.Interop.Loading;

/// <summary>
/// Resolves the [LibraryImport] names of this assembly ("cuda", "nvrtc", "cublasLt", "nvidia-ml") to the versioned
/// files found by <see cref="LibrarySearch"/>. Each library is looked up once per process; a failure is remembered
/// and raised again as the same <see cref="GpuUnavailableException"/>.
/// </summary>
public static class GpuLibraryLoader
{
    private static readonly object Gate = new();
    private static readonly Dictionary<GpuLibrary, LibraryLoadOutcome> Outcomes = [];
    private static int _resolverRegistered;

    /// <summary>Called by each interop class's static constructor, before its first native call.</summary>
    public static void EnsureResolverRegistered()
    {
        if (Interlocked.Exchange(ref _resolverRegistered, 1) == 0)
            NativeLibrary.SetDllImportResolver(typeof(GpuLibraryLoader).Assembly, Resolve);
    }

    /// <summary>Loads the library or throws a <see cref="GpuUnavailableException"/> listing every path tried.</summary>
    public static nint Load(GpuLibrary library)
    {
        var outcome = GetOutcome(library);
        return outcome.Handle != 0 ? outcome.Handle : throw new GpuUnavailableException(outcome.FailureMessage!);
    }

    public static bool TryLoad(GpuLibrary library) => GetOutcome(library).Handle != 0;

    public static bool IsLoaded(GpuLibrary library)
    {
        lock (Gate)
            return Outcomes.TryGetValue(library, out var outcome) && outcome.Handle != 0;
    }

    /// <summary>The file that was loaded, for `llmbench gpu` to show; null when not (yet) loaded.</summary>
    public static string? LoadedPath(GpuLibrary library)
    {
        lock (Gate)
            return Outcomes.TryGetValue(library, out var outcome) ? outcome.Path : null;
    }

    private static LibraryLoadOutcome GetOutcome(GpuLibrary library)
    {
        lock (Gate)
        {
            if (Outcomes.TryGetValue(library, out var known))
                return known;
        }

        // Decided outside the lock: finding the driver's version loads libcuda through this same class.
        var versionOrder = PreferredVersionOrder(library);
        var attempt = new LibraryLoadAttempt(new LibrarySearch(SystemLibraryProbe.Instance), Open);
        var outcome = attempt.Run(GpuLibraryDescriptor.For(library), versionOrder);
        lock (Gate)
        {
            if (Outcomes.TryGetValue(library, out var raced))
                return raced;
            Outcomes[library] = outcome;
            return outcome;
        }
    }

    /// <summary>Prefer the toolkit major that matches the driver: a CUDA 12 driver can't run CUDA 13 libraries.</summary>
    private static IReadOnlyList<string>? PreferredVersionOrder(GpuLibrary library)
    {
        if (library is GpuLibrary.Cuda or GpuLibrary.Nvml || !TryLoad(GpuLibrary.Cuda))
            return null;
        return CudaDriver.cuDriverGetVersion(out var version) == CudaResult.CUDA_SUCCESS && version / 1000 == 12
            ? ["12", "13"]
            : null;
    }

    private static LibraryOpenResult Open(string path)
    {
        try
        {
            return new LibraryOpenResult(NativeLibrary.Load(path), null);
        }
        catch (DllNotFoundException ex)
        {
            return new LibraryOpenResult(0, ex.Message);
        }
        catch (BadImageFormatException ex)
        {
            return new LibraryOpenResult(0, ex.Message);
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        var descriptor = GpuLibraryDescriptor.ForImportName(libraryName);
        return descriptor is null ? 0 : Load(descriptor.Library);
    }
}
