using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LlmBench.Gpu.Interop;

/// <summary>nvrtcResult, with the names of nvrtc.h.</summary>
#pragma warning disable CA1707
public enum NvrtcResult
{
    NVRTC_SUCCESS = 0,
    NVRTC_ERROR_OUT_OF_MEMORY = 1,
    NVRTC_ERROR_PROGRAM_CREATION_FAILURE = 2,
    NVRTC_ERROR_INVALID_INPUT = 3,
    NVRTC_ERROR_INVALID_PROGRAM = 4,
    NVRTC_ERROR_INVALID_OPTION = 5,
    NVRTC_ERROR_COMPILATION = 6,
    NVRTC_ERROR_BUILTIN_OPERATION_FAILURE = 7,
    NVRTC_ERROR_INTERNAL_ERROR = 11,
}
#pragma warning restore CA1707

public static class NvrtcResultExtensions
{
    public static string SymbolicName(this NvrtcResult result) =>
        Enum.IsDefined(result) ? result.ToString() : $"nvrtcResult {(int)result}";
}

/// <summary>The one place NVRTC status codes become exceptions.</summary>
internal static class NvrtcCheck
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ThrowIfFailed(NvrtcResult result, [CallerArgumentExpression(nameof(result))] string call = "")
    {
        if (result != NvrtcResult.NVRTC_SUCCESS)
            Throw(result, NativeCallName.Of(call));
    }

    [DoesNotReturn]
    private static void Throw(NvrtcResult result, string function)
    {
        var text = Loading.GpuLibraryLoader.IsLoaded(Loading.GpuLibrary.Nvrtc)
            ? Marshal.PtrToStringUTF8(Nvrtc.nvrtcGetErrorString(result)) ?? "no description"
            : "no description: libnvrtc is not loaded";
        throw new NvrtcException(function, result, $"{function} failed: {result.SymbolicName()} ({text}).");
    }
}
