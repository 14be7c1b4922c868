namespace LlmBench.Gpu.Interop.Loading;

/// <summary>The native libraries LlmBench talks to, with the names the loader looks for.</summary>
public enum GpuLibrary
{
    Cuda,
    Nvrtc,
    CublasLt,
    Nvml,

    /// <summary>Optional: only `llmbench profile` uses it, to time the kernels of graph replays.</summary>
    Cupti,
}

/// <summary>What the loader needs to know about one library: file names, supported majors, and what to install when it is missing.</summary>
public sealed record GpuLibraryDescriptor(
    GpuLibrary Library,
    string ImportName,
    string FileStem,
    IReadOnlyList<string> SupportedVersions,
    string Purpose,
    string InstallHint)
{
    public const string CudaImport = "cuda";
    public const string NvrtcImport = "nvrtc";
    public const string CublasLtImport = "cublasLt";
    public const string NvmlImport = "nvidia-ml";
    public const string CuptiImport = "cupti";

    public static GpuLibraryDescriptor For(GpuLibrary library) => library switch
    {
        GpuLibrary.Cuda => new(library, CudaImport, "libcuda.so", ["1"], "the NVIDIA driver's CUDA library",
            "install the NVIDIA driver (nvidia-smi should list your GPU)"),
        GpuLibrary.Nvrtc => new(library, NvrtcImport, "libnvrtc.so", ["13", "12"], "NVRTC, the CUDA runtime compiler",
            "install the CUDA 13 or 12 toolkit, or `pip install nvidia-cuda-nvrtc-cu12`, or set CUDA_HOME"),
        GpuLibrary.CublasLt => new(library, CublasLtImport, "libcublasLt.so", ["13", "12"], "cuBLASLt, NVIDIA's matrix-multiply library",
            "install the CUDA 13 or 12 toolkit, or `pip install nvidia-cublas-cu12`, or set CUDA_HOME"),
        GpuLibrary.Nvml => new(library, NvmlImport, "libnvidia-ml.so", ["1"], "NVML, the driver's management library",
            "install the NVIDIA driver's utilities (the package that provides nvidia-smi)"),
        GpuLibrary.Cupti => new(library, CuptiImport, "libcupti.so", ["13", "12"], "CUPTI, the CUDA profiling tools interface",
            "install the CUDA 13 or 12 toolkit (CUPTI is in extras/CUPTI/lib64), or `pip install nvidia-cuda-cupti-cu12`, or set CUDA_HOME"),
        _ => throw new ArgumentOutOfRangeException(nameof(library)),
    };

    public static GpuLibraryDescriptor? ForImportName(string importName) => importName switch
    {
        CudaImport => For(GpuLibrary.Cuda),
        NvrtcImport => For(GpuLibrary.Nvrtc),
        CublasLtImport => For(GpuLibrary.CublasLt),
        NvmlImport => For(GpuLibrary.Nvml),
        CuptiImport => For(GpuLibrary.Cupti),
        _ => null,
    };

    /// <summary>File names in the order to try them, newest supported major first unless told otherwise.</summary>
    public IReadOnlyList<string> FileNames(IReadOnlyList<string>? versionOrder = null) =>
        (versionOrder ?? SupportedVersions).Select(v => $"{FileStem}.{v}").ToArray();
}
