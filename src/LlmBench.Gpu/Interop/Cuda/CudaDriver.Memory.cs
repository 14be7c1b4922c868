using System.Runtime.InteropServices;
using LlmBench.Gpu.Interop.Loading;

namespace LlmBench.Gpu.Interop;

/// <summary>Device and pinned host memory, copies and fills. CUdeviceptr is a 64-bit integer, not a handle.</summary>
internal static unsafe partial class CudaDriver
{
    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuMemGetInfo_v2(out nuint free, out nuint total);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuMemAlloc_v2(out ulong devicePointer, nuint bytes);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuMemFree_v2(ulong devicePointer);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuMemAllocHost_v2(out nint hostPointer, nuint bytes);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuMemFreeHost(nint hostPointer);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuMemcpyHtoD_v2(ulong destination, void* source, nuint bytes);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuMemcpyDtoH_v2(void* destination, ulong source, nuint bytes);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuMemcpyHtoDAsync_v2(ulong destination, void* source, nuint bytes, CudaStreamHandle stream);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuMemcpyDtoHAsync_v2(void* destination, ulong source, nuint bytes, CudaStreamHandle stream);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuMemcpyDtoDAsync_v2(ulong destination, ulong source, nuint bytes, CudaStreamHandle stream);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuMemsetD8Async(ulong destination, byte value, nuint count, CudaStreamHandle stream);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuMemsetD32Async(ulong destination, uint value, nuint count, CudaStreamHandle stream);
}
