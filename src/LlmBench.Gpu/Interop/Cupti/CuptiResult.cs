using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LlmBench.Gpu.Interop;

/// <summary>CUptiResult: the codes of cupti_result.h named here; others show as numbers, and CUPTI's own text says what they mean.</summary>
#pragma warning disable CA1707
public enum CuptiResult
{
    CUPTI_SUCCESS = 0,
    CUPTI_ERROR_INVALID_PARAMETER = 1,
    CUPTI_ERROR_INVALID_DEVICE = 2,
    CUPTI_ERROR_INVALID_CONTEXT = 3,
    CUPTI_ERROR_INVALID_OPERATION = 7,
    CUPTI_ERROR_OUT_OF_MEMORY = 8,
    CUPTI_ERROR_HARDWARE = 9,
    CUPTI_ERROR_API_NOT_IMPLEMENTED = 11,
    CUPTI_ERROR_MAX_LIMIT_REACHED = 12,
    CUPTI_ERROR_NOT_READY = 13,
    CUPTI_ERROR_NOT_COMPATIBLE = 14,
    CUPTI_ERROR_NOT_INITIALIZED = 15,
    CUPTI_ERROR_UNKNOWN = 999,
}
#pragma warning restore CA1707

public static class CuptiResultExtensions
{
    public static string SymbolicName(this CuptiResult result) =>
        Enum.IsDefined(result) ? result.ToString() : $"CUptiResult {(int)result}";
}

/// <summary>The one place CUPTI status codes become exceptions.</summary>
internal static class CuptiCheck
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ThrowIfFailed(CuptiResult result, [CallerArgumentExpression(nameof(result))] string call = "")
    {
        if (result != CuptiResult.CUPTI_SUCCESS)
            Throw(result, NativeCallName.Of(call));
    }

    [DoesNotReturn]
    private static void Throw(CuptiResult result, string function)
    {
        string text = "no description";
        if (Loading.GpuLibraryLoader.IsLoaded(Loading.GpuLibrary.Cupti) && Cupti.cuptiGetResultString(result, out var pointer) == CuptiResult.CUPTI_SUCCESS)
            text = Marshal.PtrToStringUTF8(pointer) ?? text;
        throw new CuptiException(function, result, $"{function} failed: {result.SymbolicName()} ({text}).");
    }
}
