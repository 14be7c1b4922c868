using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace LlmBench.Gpu.Interop;

/// <summary>
/// The one place CUDA driver status codes become exceptions. Every driver call goes through
/// <see cref="ThrowIfFailed"/>; the exception names the C function (taken from the call expression itself).
/// </summary>
internal static class CudaCheck
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ThrowIfFailed(CudaResult result, [CallerArgumentExpression(nameof(result))] string call = "")
    {
        if (result != CudaResult.CUDA_SUCCESS)
            Throw(result, call);
    }

    [DoesNotReturn]
    private static void Throw(CudaResult result, string call) => throw ToException(result, NativeCallName.Of(call));

    public static GpuException ToException(CudaResult result, string function)
    {
        var status = result.SymbolicName();
        var detail = Describe(result);
        return result switch
        {
            CudaResult.CUDA_ERROR_NO_DEVICE =>
                new GpuUnavailableException($"The NVIDIA driver reports no CUDA GPU ({function}: {status}); check that nvidia-smi lists one and that CUDA_VISIBLE_DEVICES does not hide it."),
            CudaResult.CUDA_ERROR_INSUFFICIENT_DRIVER or CudaResult.CUDA_ERROR_CALL_REQUIRES_NEWER_DRIVER =>
                new GpuUnavailableException($"The NVIDIA driver is too old for this CUDA library ({function}: {status}); update the driver or use CUDA 12 libraries."),
            CudaResult.CUDA_ERROR_STUB_LIBRARY =>
                new GpuUnavailableException($"The libcuda.so.1 that was loaded is the toolkit's stub, not a driver ({function}: {status}); install the NVIDIA driver or remove the stubs folder from LD_LIBRARY_PATH."),
            CudaResult.CUDA_ERROR_DEVICE_UNAVAILABLE =>
                new GpuUnavailableException($"The GPU is busy or in exclusive-process mode with another process ({function}: {status}); stop the other process or pick another GPU with --device."),
            CudaResult.CUDA_ERROR_OUT_OF_MEMORY =>
                new CudaOutOfMemoryException(function, result, $"{function} failed: {status} ({detail})."),
            _ => new CudaException(function, result, $"{function} failed: {status} ({detail})."),
        };
    }

    // The driver's own description where the driver is loaded; the symbolic name alone otherwise.
    private static string Describe(CudaResult result)
    {
        if (!Loading.GpuLibraryLoader.IsLoaded(Loading.GpuLibrary.Cuda))
            return "no description: libcuda is not loaded";
        try
        {
            return CudaDriver.cuGetErrorString(result, out var text) == CudaResult.CUDA_SUCCESS && text != 0
                ? System.Runtime.InteropServices.Marshal.PtrToStringUTF8(text) ?? "no description"
                : "no description";
        }
        catch (EntryPointNotFoundException)
        {
            return "no description";
        }
    }
}

/// <summary>Extracts "cuMemAlloc_v2" from a call expression such as "CudaDriver.cuMemAlloc_v2(out ptr, bytes)".</summary>
internal static class NativeCallName
{
    public static string Of(string expression)
    {
        var open = expression.IndexOf('(', StringComparison.Ordinal);
        var head = open >= 0 ? expression[..open] : expression;
        var dot = head.LastIndexOf('.');
        return (dot >= 0 ? head[(dot + 1)..] : head).Trim();
    }
}
