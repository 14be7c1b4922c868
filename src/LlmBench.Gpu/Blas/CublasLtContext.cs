using LlmBench.Gpu.Interop;
using LlmBench.Gpu.Interop.Loading;

namespace LlmBench.Gpu.Blas;

/// <summary>
/// A cuBLASLt handle for one GPU and the workspace its fastest kernels need. Create one per device and build
/// <see cref="GemmPlan"/>s from it once, outside any graph capture.
/// </summary>
public sealed class CublasLtContext : IDisposable
{
    /// <summary>32 MiB: what NVIDIA recommends for Hopper's split-K and stream-K kernels; plenty for older GPUs.</summary>
    public const long DefaultWorkspaceBytes = 32L << 20;

    private CublasLtContext(GpuDevice device, CublasLtHandle handle, DeviceBuffer<byte> workspace)
    {
        Device = device;
        Handle = handle;
        Workspace = workspace;
    }

    public GpuDevice Device { get; }

    internal CublasLtHandle Handle { get; }

    internal DeviceBuffer<byte> Workspace { get; }

    /// <summary>cuBLASLt's version as it encodes it (e.g. 130001 for 13.0.1).</summary>
    public static long LibraryVersion
    {
        get
        {
            GpuLibraryLoader.Load(GpuLibrary.CublasLt);
            return (long)CublasLt.cublasLtGetVersion();
        }
    }

    public static CublasLtContext Create(GpuDevice device, long workspaceBytes = DefaultWorkspaceBytes)
    {
        ArgumentNullException.ThrowIfNull(device);
        GpuLibraryLoader.Load(GpuLibrary.CublasLt);
        RequireLibraryMatchesDriver();
        device.MakeCurrent();
        CublasLtCheck.ThrowIfFailed(CublasLt.cublasLtCreate(out var raw));
        var handle = new CublasLtHandle(raw);
        try
        {
            return new CublasLtContext(device, handle, device.Allocate<byte>(workspaceBytes));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    // cuBLASLt 13 links a CUDA 13 runtime: on a CUDA 12 driver every call would fail with a vague status.
    private static void RequireLibraryMatchesDriver()
    {
        var libraryMajor = (int)CublasLt.cublasLtGetCudartVersion() / 1000;
        var driverMajor = Cuda.DriverVersion / 1000;
        if (libraryMajor > driverMajor)
        {
            throw new GpuUnavailableException(
                $"{GpuLibraryLoader.LoadedPath(GpuLibrary.CublasLt)} was built for CUDA {libraryMajor}, newer than the driver's CUDA {Cuda.DriverVersionText}; " +
                $"update the driver or install CUDA {driverMajor} libraries (e.g. `pip install nvidia-cublas-cu{driverMajor}`).");
        }
    }

    public void Dispose()
    {
        Workspace.Dispose();
        Handle.Dispose();
    }
}
