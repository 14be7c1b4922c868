using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LlmBench.Gpu.Interop;

#pragma warning disable CA1707 // C names on purpose

/// <summary>cudaDataType_t values (library_types.h) for the element types we multiply.</summary>
public enum CudaDataType
{
    CUDA_R_32F = 0,
    CUDA_R_16F = 2,
    CUDA_R_16BF = 14,
    CUDA_R_8F_E4M3 = 28,
    CUDA_R_8F_E5M2 = 29,
}

/// <summary>cublasComputeType_t: we always accumulate in fp32.</summary>
public enum CublasComputeType
{
    CUBLAS_COMPUTE_32F = 68,
}

/// <summary>cublasOperation_t.</summary>
public enum CublasOperation
{
    CUBLAS_OP_N = 0,
    CUBLAS_OP_T = 1,
}

/// <summary>cublasLtMatmulDescAttributes_t values we set.</summary>
internal enum CublasLtMatmulDescAttribute
{
    CUBLASLT_MATMUL_DESC_TRANSA = 3,
    CUBLASLT_MATMUL_DESC_TRANSB = 4,
    CUBLASLT_MATMUL_DESC_A_SCALE_POINTER = 17,
    CUBLASLT_MATMUL_DESC_B_SCALE_POINTER = 18,
    CUBLASLT_MATMUL_DESC_FAST_ACCUM = 25,
    CUBLASLT_MATMUL_DESC_A_SCALE_MODE = 31,
    CUBLASLT_MATMUL_DESC_B_SCALE_MODE = 32,
}

/// <summary>cublasLtMatmulMatrixScale_t values we set (CUDA 12.9+): how a scale pointer is read.</summary>
internal enum CublasLtMatmulMatrixScale
{
    /// <summary>One fp32 scale for the whole matrix (the default).</summary>
    CUBLASLT_MATMUL_MATRIX_SCALE_SCALAR_32F = 0,

    /// <summary>One fp32 scale per row of op(A) (M of them) or per column of op(B) (N of them).</summary>
    CUBLASLT_MATMUL_MATRIX_SCALE_OUTER_VEC_32F = 3,
}

/// <summary>cublasLtMatmulPreferenceAttributes_t values we set.</summary>
internal enum CublasLtMatmulPreferenceAttribute
{
    CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES = 1,
}

/// <summary>cublasStatus_t.</summary>
public enum CublasStatus
{
    CUBLAS_STATUS_SUCCESS = 0,
    CUBLAS_STATUS_NOT_INITIALIZED = 1,
    CUBLAS_STATUS_ALLOC_FAILED = 3,
    CUBLAS_STATUS_INVALID_VALUE = 7,
    CUBLAS_STATUS_ARCH_MISMATCH = 8,
    CUBLAS_STATUS_MAPPING_ERROR = 11,
    CUBLAS_STATUS_EXECUTION_FAILED = 13,
    CUBLAS_STATUS_INTERNAL_ERROR = 14,
    CUBLAS_STATUS_NOT_SUPPORTED = 15,
    CUBLAS_STATUS_LICENSE_ERROR = 16,
}

#pragma warning restore CA1707

public static class CublasStatusExtensions
{
    public static string SymbolicName(this CublasStatus status) =>
        Enum.IsDefined(status) ? status.ToString() : $"cublasStatus_t {(int)status}";
}

/// <summary>cublasLtMatmulAlgo_t: 8 opaque 64-bit words.</summary>
[InlineArray(8)]
internal struct CublasLtMatmulAlgo
{
    private ulong _word0;
}

/// <summary>cublasLtMatmulHeuristicResult_t.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CublasLtMatmulHeuristicResult
{
    public CublasLtMatmulAlgo Algo;
    public nuint WorkspaceSize;
    public CublasStatus State;
    public float WavesCount;
    public Int128 Reserved;
}
