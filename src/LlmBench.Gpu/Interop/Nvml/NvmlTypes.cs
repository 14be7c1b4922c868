using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace LlmBench.Gpu.Interop;

#pragma warning disable CA1707 // C names on purpose

/// <summary>nvmlReturn_t.</summary>
public enum NvmlReturn
{
    NVML_SUCCESS = 0,
    NVML_ERROR_UNINITIALIZED = 1,
    NVML_ERROR_INVALID_ARGUMENT = 2,
    NVML_ERROR_NOT_SUPPORTED = 3,
    NVML_ERROR_NO_PERMISSION = 4,
    NVML_ERROR_ALREADY_INITIALIZED = 5,
    NVML_ERROR_NOT_FOUND = 6,
    NVML_ERROR_INSUFFICIENT_SIZE = 7,
    NVML_ERROR_INSUFFICIENT_POWER = 8,
    NVML_ERROR_DRIVER_NOT_LOADED = 9,
    NVML_ERROR_TIMEOUT = 10,
    NVML_ERROR_IRQ_ISSUE = 11,
    NVML_ERROR_LIBRARY_NOT_FOUND = 12,
    NVML_ERROR_FUNCTION_NOT_FOUND = 13,
    NVML_ERROR_CORRUPTED_INFOROM = 14,
    NVML_ERROR_GPU_IS_LOST = 15,
    NVML_ERROR_RESET_REQUIRED = 16,
    NVML_ERROR_OPERATING_SYSTEM = 17,
    NVML_ERROR_LIB_RM_VERSION_MISMATCH = 18,
    NVML_ERROR_IN_USE = 19,
    NVML_ERROR_MEMORY = 20,
    NVML_ERROR_NO_DATA = 21,
    NVML_ERROR_UNKNOWN = 999,
}

/// <summary>nvmlClockType_t.</summary>
public enum NvmlClockType
{
    NVML_CLOCK_GRAPHICS = 0,
    NVML_CLOCK_SM = 1,
    NVML_CLOCK_MEM = 2,
    NVML_CLOCK_VIDEO = 3,
}

#pragma warning restore CA1707

public static class NvmlReturnExtensions
{
    public static string SymbolicName(this NvmlReturn result) =>
        Enum.IsDefined(result) ? result.ToString() : $"nvmlReturn_t {(int)result}";
}

[StructLayout(LayoutKind.Sequential)]
internal struct NvmlMemory
{
    public ulong TotalBytes;
    public ulong FreeBytes;
    public ulong UsedBytes;
}

[StructLayout(LayoutKind.Sequential)]
internal struct NvmlUtilization
{
    public uint GpuPercent;
    public uint MemoryPercent;
}

[InlineArray(16)]
internal struct NvmlChars16
{
    private byte _element0;
}

[InlineArray(32)]
internal struct NvmlChars32
{
    private byte _element0;
}

/// <summary>nvmlPciInfo_t (the v3 layout).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NvmlPciInfo
{
    public NvmlChars16 BusIdLegacy;
    public uint Domain;
    public uint Bus;
    public uint Device;
    public uint PciDeviceId;
    public uint PciSubSystemId;
    public NvmlChars32 BusId;
}

/// <summary>Owns one nvmlInit_v2; release calls nvmlShutdown (NVML counts inits, so sessions may nest).</summary>
internal sealed class NvmlInitHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    // NVML hands out no handle for an init; the value 1 only marks this one as live.
    private NvmlInitHandle(nint marker)
        : base(ownsHandle: true) => SetHandle(marker);

    public static NvmlInitHandle Initialize()
    {
        NvmlCheck.ThrowIfFailed(Nvml.nvmlInit_v2());
        return new NvmlInitHandle(1);
    }

    protected override bool ReleaseHandle() => Nvml.nvmlShutdown() == NvmlReturn.NVML_SUCCESS;
}
