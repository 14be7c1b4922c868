using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Microsoft.Win32.SafeHandles;

namespace LlmBench.Gpu.Interop;

internal sealed class CublasLtHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public CublasLtHandle(nint raw)
        : base(ownsHandle: true) => SetHandle(raw);

    protected override bool ReleaseHandle() => CublasLt.cublasLtDestroy(handle) == CublasStatus.CUBLAS_STATUS_SUCCESS;
}

internal sealed class CublasLtMatmulDescHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public CublasLtMatmulDescHandle(nint raw)
        : base(ownsHandle: true) => SetHandle(raw);

    protected override bool ReleaseHandle() => CublasLt.cublasLtMatmulDescDestroy(handle) == CublasStatus.CUBLAS_STATUS_SUCCESS;
}

internal sealed class CublasLtMatrixLayoutHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public CublasLtMatrixLayoutHandle(nint raw)
        : base(ownsHandle: true) => SetHandle(raw);

    protected override bool ReleaseHandle() => CublasLt.cublasLtMatrixLayoutDestroy(handle) == CublasStatus.CUBLAS_STATUS_SUCCESS;
}

internal sealed class CublasLtMatmulPreferenceHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public CublasLtMatmulPreferenceHandle(nint raw)
        : base(ownsHandle: true) => SetHandle(raw);

    protected override bool ReleaseHandle() => CublasLt.cublasLtMatmulPreferenceDestroy(handle) == CublasStatus.CUBLAS_STATUS_SUCCESS;
}

/// <summary>The one place cuBLAS status codes become exceptions.</summary>
internal static class CublasLtCheck
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ThrowIfFailed(CublasStatus status, [CallerArgumentExpression(nameof(status))] string call = "")
    {
        if (status != CublasStatus.CUBLAS_STATUS_SUCCESS)
            Throw(status, NativeCallName.Of(call));
    }

    [DoesNotReturn]
    private static void Throw(CublasStatus status, string function) =>
        throw new CublasLtException(function, status, $"{function} failed: {status.SymbolicName()}{Hint(status)}.");

    private static string Hint(CublasStatus status) => status switch
    {
        CublasStatus.CUBLAS_STATUS_NOT_SUPPORTED => " (this GPU or library has no kernel for this data type and layout)",
        CublasStatus.CUBLAS_STATUS_ARCH_MISMATCH => " (the GPU's architecture lacks this feature)",
        CublasStatus.CUBLAS_STATUS_NOT_INITIALIZED => " (the CUDA driver may be too old for this cuBLASLt)",
        _ => string.Empty,
    };
}
