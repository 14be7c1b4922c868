using System.Runtime.InteropServices;
using LlmBench.Gpu.Interop.Loading;

namespace LlmBench.Gpu.Interop;

/// <summary>
/// The CUDA driver API (libcuda.so.1), declared with the names of cuda.h. Where cuda.h #defines a name to a
/// versioned entry point (cuMemAlloc → cuMemAlloc_v2), the versioned one is declared, since that is the symbol a C
/// program built against the header calls. Split by topic into partial files.
/// </summary>
internal static unsafe partial class CudaDriver
{
    static CudaDriver() => GpuLibraryLoader.EnsureResolverRegistered();

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuInit(uint flags);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuDriverGetVersion(out int driverVersion);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuGetErrorString(CudaResult error, out nint text);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuDeviceGetCount(out int count);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuDeviceGet(out int device, int ordinal);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuDeviceGetName(byte* name, int length, int device);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuDeviceGetAttribute(out int value, CudaDeviceAttribute attribute, int device);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuDeviceTotalMem_v2(out nuint bytes, int device);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuDeviceGetUuid_v2(out CudaUuid uuid, int device);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuDeviceGetPCIBusId(byte* pciBusId, int length, int device);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuDevicePrimaryCtxRetain(out nint context, int device);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuDevicePrimaryCtxRelease_v2(int device);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuCtxSetCurrent(nint context);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuCtxPushCurrent_v2(nint context);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuCtxPopCurrent_v2(out nint context);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuCtxSynchronize();
}

/// <summary>CUuuid: 16 raw bytes.</summary>
[System.Runtime.CompilerServices.InlineArray(16)]
internal struct CudaUuid
{
    private byte _element0;
}

/// <summary>CUdevice_attribute values we read (cuda.h numbering).</summary>
#pragma warning disable CA1707
internal enum CudaDeviceAttribute
{
    CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK = 1,
    CU_DEVICE_ATTRIBUTE_CLOCK_RATE = 13,
    CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT = 16,
    CU_DEVICE_ATTRIBUTE_ECC_ENABLED = 32,
    CU_DEVICE_ATTRIBUTE_PCI_BUS_ID = 33,
    CU_DEVICE_ATTRIBUTE_PCI_DEVICE_ID = 34,
    CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE = 36,
    CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH = 37,
    CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE = 38,
    CU_DEVICE_ATTRIBUTE_PCI_DOMAIN_ID = 50,
    CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75,
    CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76,
    CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_MULTIPROCESSOR = 81,
    CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN = 97,
}
#pragma warning restore CA1707
