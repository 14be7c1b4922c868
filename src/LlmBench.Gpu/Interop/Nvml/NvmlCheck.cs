using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LlmBench.Gpu.Interop;

/// <summary>
/// The one place NVML status codes become exceptions. Readers of optional fields first ask
/// <see cref="IsUnavailableField"/>: a field this GPU or driver does not offer becomes "n/a", never an error.
/// </summary>
internal static class NvmlCheck
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ThrowIfFailed(NvmlReturn result, [CallerArgumentExpression(nameof(result))] string call = "")
    {
        if (result != NvmlReturn.NVML_SUCCESS)
            Throw(result, NativeCallName.Of(call));
    }

    public static bool IsUnavailableField(NvmlReturn result) => result is NvmlReturn.NVML_ERROR_NOT_SUPPORTED
        or NvmlReturn.NVML_ERROR_NO_PERMISSION or NvmlReturn.NVML_ERROR_FUNCTION_NOT_FOUND
        or NvmlReturn.NVML_ERROR_NO_DATA or NvmlReturn.NVML_ERROR_INVALID_ARGUMENT;

    [DoesNotReturn]
    private static void Throw(NvmlReturn result, string function)
    {
        var status = result.SymbolicName();
        throw result switch
        {
            NvmlReturn.NVML_ERROR_DRIVER_NOT_LOADED =>
                new GpuUnavailableException($"NVML found no loaded NVIDIA kernel driver ({function}: {status}); install or load the NVIDIA driver (nvidia-smi should work)."),
            NvmlReturn.NVML_ERROR_LIB_RM_VERSION_MISMATCH =>
                new GpuUnavailableException($"libnvidia-ml.so.1 does not match the loaded kernel driver ({function}: {status}); reboot after a driver update, or reinstall the driver."),
            NvmlReturn.NVML_ERROR_GPU_IS_LOST =>
                new GpuUnavailableException($"The GPU fell off the bus or stopped answering ({function}: {status}); check dmesg and nvidia-smi."),
            _ => new NvmlException(function, result, $"{function} failed: {status} ({Describe(result)})."),
        };
    }

    private static string Describe(NvmlReturn result)
    {
        if (!Loading.GpuLibraryLoader.IsLoaded(Loading.GpuLibrary.Nvml))
            return "no description: libnvidia-ml is not loaded";
        try
        {
            return Marshal.PtrToStringUTF8(Nvml.nvmlErrorString(result)) ?? "no description";
        }
        catch (EntryPointNotFoundException)
        {
            return "no description";
        }
    }
}
