using System.Runtime.InteropServices;
using LlmBench.Gpu.Interop.Loading;

namespace LlmBench.Gpu.Interop;

/// <summary>Streams and events.</summary>
internal static partial class CudaDriver
{
    /// <summary>CU_STREAM_NON_BLOCKING: no implicit synchronisation with the legacy default stream.</summary>
    public const uint CU_STREAM_NON_BLOCKING = 0x1;

    /// <summary>CU_EVENT_DEFAULT: an event that records timing.</summary>
    public const uint CU_EVENT_DEFAULT = 0x0;

    /// <summary>CU_EVENT_DISABLE_TIMING: cheaper, for ordering only.</summary>
    public const uint CU_EVENT_DISABLE_TIMING = 0x2;

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuStreamCreate(out nint stream, uint flags);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuStreamDestroy_v2(nint stream);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuStreamSynchronize(CudaStreamHandle stream);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuStreamWaitEvent(CudaStreamHandle stream, CudaEventHandle cudaEvent, uint flags);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuEventCreate(out nint cudaEvent, uint flags);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuEventDestroy_v2(nint cudaEvent);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuEventRecord(CudaEventHandle cudaEvent, CudaStreamHandle stream);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuEventSynchronize(CudaEventHandle cudaEvent);

    // cuda.h 12.8+ maps cuEventElapsedTime to _v2, which older drivers lack; the original symbol is in every
    // driver from CUDA 12.0 on and measures the same thing.
    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuEventElapsedTime(out float milliseconds, CudaEventHandle start, CudaEventHandle end);
}
