using System.Runtime.InteropServices;
using LlmBench.Gpu.Interop.Loading;

namespace LlmBench.Gpu.Interop;

/// <summary>Modules loaded from cubin/PTX images, their functions, and kernel launches.</summary>
internal static unsafe partial class CudaDriver
{
    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuModuleLoadData(out nint module, void* image);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuModuleUnload(nint module);

    [LibraryImport(GpuLibraryDescriptor.CudaImport, StringMarshalling = StringMarshalling.Utf8)]
    public static partial CudaResult cuModuleGetFunction(out nint function, CudaModuleHandle module, string name);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuFuncSetAttribute(nint function, CudaFunctionAttribute attribute, int value);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuFuncGetAttribute(out int value, CudaFunctionAttribute attribute, nint function);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuLaunchKernel(
        nint function,
        uint gridDimX, uint gridDimY, uint gridDimZ,
        uint blockDimX, uint blockDimY, uint blockDimZ,
        uint sharedMemBytes,
        CudaStreamHandle stream,
        void** kernelParams,
        void** extra);

    /// <summary>cuLaunchKernelEx (CUDA 12.0+): a launch with attributes, here programmatic stream serialization.</summary>
    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuLaunchKernelEx(CudaLaunchConfig* config, nint function, void** kernelParams, void** extra);
}

/// <summary>CUlaunchConfig.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CudaLaunchConfig
{
    public uint GridDimX;
    public uint GridDimY;
    public uint GridDimZ;
    public uint BlockDimX;
    public uint BlockDimY;
    public uint BlockDimZ;
    public uint SharedMemBytes;
    public nint Stream;
    public CudaLaunchAttribute* Attributes;
    public uint AttributeCount;
}

/// <summary>CUlaunchAttribute: the id, 4 bytes of padding, then a 64-byte value union whose int members start it.</summary>
[StructLayout(LayoutKind.Explicit, Size = 72)]
internal struct CudaLaunchAttribute
{
    [FieldOffset(0)]
    public CudaLaunchAttributeId Id;

    [FieldOffset(8)]
    public int Value;
}

/// <summary>CUlaunchAttributeID values we use.</summary>
#pragma warning disable CA1707
internal enum CudaLaunchAttributeId
{
    CU_LAUNCH_ATTRIBUTE_PROGRAMMATIC_STREAM_SERIALIZATION = 6,
}
#pragma warning restore CA1707

/// <summary>CUfunction_attribute values we use.</summary>
#pragma warning disable CA1707
internal enum CudaFunctionAttribute
{
    CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK = 0,
    CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES = 1,
    CU_FUNC_ATTRIBUTE_NUM_REGS = 4,
    CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES = 8,
}
#pragma warning restore CA1707
