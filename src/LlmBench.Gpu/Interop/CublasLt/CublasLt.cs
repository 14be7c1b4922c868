using System.Runtime.InteropServices;
using LlmBench.Gpu.Interop.Loading;

namespace LlmBench.Gpu.Interop;

/// <summary>cuBLASLt (libcublasLt.so.13 or .12), declared with the names of cublasLt.h.</summary>
internal static unsafe partial class CublasLt
{
    static CublasLt() => GpuLibraryLoader.EnsureResolverRegistered();

    [LibraryImport(GpuLibraryDescriptor.CublasLtImport)]
    public static partial nuint cublasLtGetVersion();

    [LibraryImport(GpuLibraryDescriptor.CublasLtImport)]
    public static partial nuint cublasLtGetCudartVersion();

    [LibraryImport(GpuLibraryDescriptor.CublasLtImport)]
    public static partial CublasStatus cublasLtCreate(out nint handle);

    [LibraryImport(GpuLibraryDescriptor.CublasLtImport)]
    public static partial CublasStatus cublasLtDestroy(nint handle);

    [LibraryImport(GpuLibraryDescriptor.CublasLtImport)]
    public static partial CublasStatus cublasLtMatmulDescCreate(out nint matmulDesc, CublasComputeType computeType, CudaDataType scaleType);

    [LibraryImport(GpuLibraryDescriptor.CublasLtImport)]
    public static partial CublasStatus cublasLtMatmulDescDestroy(nint matmulDesc);

    [LibraryImport(GpuLibraryDescriptor.CublasLtImport)]
    public static partial CublasStatus cublasLtMatmulDescSetAttribute(
        CublasLtMatmulDescHandle matmulDesc, CublasLtMatmulDescAttribute attribute, void* buffer, nuint sizeInBytes);

    [LibraryImport(GpuLibraryDescriptor.CublasLtImport)]
    public static partial CublasStatus cublasLtMatrixLayoutCreate(out nint layout, CudaDataType type, ulong rows, ulong cols, long leadingDimension);

    [LibraryImport(GpuLibraryDescriptor.CublasLtImport)]
    public static partial CublasStatus cublasLtMatrixLayoutDestroy(nint layout);

    [LibraryImport(GpuLibraryDescriptor.CublasLtImport)]
    public static partial CublasStatus cublasLtMatmulPreferenceCreate(out nint preference);

    [LibraryImport(GpuLibraryDescriptor.CublasLtImport)]
    public static partial CublasStatus cublasLtMatmulPreferenceDestroy(nint preference);

    [LibraryImport(GpuLibraryDescriptor.CublasLtImport)]
    public static partial CublasStatus cublasLtMatmulPreferenceSetAttribute(
        CublasLtMatmulPreferenceHandle preference, CublasLtMatmulPreferenceAttribute attribute, void* buffer, nuint sizeInBytes);

    [LibraryImport(GpuLibraryDescriptor.CublasLtImport)]
    public static partial CublasStatus cublasLtMatmulAlgoGetHeuristic(
        CublasLtHandle lightHandle,
        CublasLtMatmulDescHandle operationDesc,
        CublasLtMatrixLayoutHandle aDesc,
        CublasLtMatrixLayoutHandle bDesc,
        CublasLtMatrixLayoutHandle cDesc,
        CublasLtMatrixLayoutHandle dDesc,
        CublasLtMatmulPreferenceHandle preference,
        int requestedAlgoCount,
        CublasLtMatmulHeuristicResult* heuristicResultsArray,
        out int returnAlgoCount);

    [LibraryImport(GpuLibraryDescriptor.CublasLtImport)]
    public static partial CublasStatus cublasLtMatmul(
        CublasLtHandle lightHandle,
        CublasLtMatmulDescHandle computeDesc,
        void* alpha,
        ulong a,
        CublasLtMatrixLayoutHandle aDesc,
        ulong b,
        CublasLtMatrixLayoutHandle bDesc,
        void* beta,
        ulong c,
        CublasLtMatrixLayoutHandle cDesc,
        ulong d,
        CublasLtMatrixLayoutHandle dDesc,
        CublasLtMatmulAlgo* algo,
        ulong workspace,
        nuint workspaceSizeInBytes,
        CudaStreamHandle stream);
}
