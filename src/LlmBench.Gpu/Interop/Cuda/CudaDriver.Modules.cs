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
}

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
