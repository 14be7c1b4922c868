using LlmBench.Gpu;
using LlmBench.Gpu.Blas;
using LlmBench.Gpu.Compilation;
using LlmBench.Gpu.Interop.Loading;
using LlmBench.Gpu.Monitoring;
using LlmBench.Gpu.Peak;

namespace LlmBench.Cli;

/// <summary>Everything `llmbench gpu` shows about one GPU: CUDA's view, NVML's view (null fields are "n/a"), the datasheet.</summary>
internal sealed record GpuEntry(
    GpuDeviceInfo Cuda,
    NvmlStaticInfo? Nvml,
    NvmlReading? Now,
    DatasheetEntry? Datasheet,
    MeasuredCeilings? Measured,
    string? UnsupportedReason);

/// <summary>Libraries found (path and version) or the reason they were not.</summary>
internal sealed record LibraryEntry(string Name, string? Path, string? Version, string? Problem);

/// <summary>The whole `llmbench gpu` result.</summary>
internal sealed record GpuReport(
    string? DriverVersion,
    string CudaDriverVersion,
    IReadOnlyList<LibraryEntry> Libraries,
    string? NvmlProblem,
    IReadOnlyList<GpuEntry> Gpus)
{
    /// <summary>Collects the report; CUDA must work (else the caller gets the GpuUnavailableException), NVML may be missing.</summary>
    public static GpuReport Collect()
    {
        var devices = Gpu.Cuda.ListDevices();
        var store = MeasuredCeilingsStore.Default();
        using var nvml = NvmlSession.TryOpen(out var nvmlProblem);
        var entries = devices.Select(d =>
        {
            var nvmlGpu = nvml?.FindByUuid(d.Uuid);
            return new GpuEntry(
                d,
                nvmlGpu?.ReadStaticInfo(),
                nvmlGpu?.Read(),
                GpuDatasheet.Find(d.Name),
                store.TryLoad(d.Uuid),
                d.IsSupported ? null : d.UnsupportedReason);
        }).ToArray();
        return new GpuReport(nvml?.DriverVersion, Gpu.Cuda.DriverVersionText, FindLibraries(), nvmlProblem, entries);
    }

    private static LibraryEntry[] FindLibraries() =>
    [
        Describe(GpuLibrary.Cuda, () => Gpu.Cuda.DriverVersionText),
        Describe(GpuLibrary.Nvml, () => null),
        Describe(GpuLibrary.Nvrtc, () => KernelCompiler.NvrtcVersion),
        Describe(GpuLibrary.CublasLt, () => FormatCublasVersion(CublasLtContext.LibraryVersion)),
        Describe(GpuLibrary.Cupti, () => null),
    ];

    // A missing NVRTC or cuBLASLt does not stop `llmbench gpu`; it is listed so the person knows before `peak` needs it
    // (and CUPTI before `profile` wants it for its trace of graph replays).
    private static LibraryEntry Describe(GpuLibrary library, Func<string?> version)
    {
        var name = GpuLibraryDescriptor.For(library).FileStem;
        try
        {
            GpuLibraryLoader.Load(library);
            return new LibraryEntry(name, GpuLibraryLoader.LoadedPath(library), version(), null);
        }
        catch (GpuException ex)
        {
            return new LibraryEntry(name, null, null, ex.Message);
        }
    }

    private static string FormatCublasVersion(long encoded) => $"{encoded / 10000}.{encoded / 100 % 100}.{encoded % 100}";
}
