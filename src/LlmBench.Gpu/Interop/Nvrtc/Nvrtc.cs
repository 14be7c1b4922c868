using System.Runtime.InteropServices;
using LlmBench.Gpu.Interop.Loading;
using Microsoft.Win32.SafeHandles;

namespace LlmBench.Gpu.Interop;

/// <summary>NVRTC (libnvrtc.so.13 or .12), declared with the names of nvrtc.h.</summary>
internal static unsafe partial class Nvrtc
{
    static Nvrtc() => GpuLibraryLoader.EnsureResolverRegistered();

    [LibraryImport(GpuLibraryDescriptor.NvrtcImport)]
    public static partial NvrtcResult nvrtcVersion(out int major, out int minor);

    [LibraryImport(GpuLibraryDescriptor.NvrtcImport)]
    public static partial nint nvrtcGetErrorString(NvrtcResult result);

    [LibraryImport(GpuLibraryDescriptor.NvrtcImport)]
    public static partial NvrtcResult nvrtcGetNumSupportedArchs(out int count);

    [LibraryImport(GpuLibraryDescriptor.NvrtcImport)]
    public static partial NvrtcResult nvrtcGetSupportedArchs(int* architectures);

    [LibraryImport(GpuLibraryDescriptor.NvrtcImport, StringMarshalling = StringMarshalling.Utf8)]
    public static partial NvrtcResult nvrtcCreateProgram(
        out nint program, string source, string name, int numHeaders, byte** headers, byte** includeNames);

    [LibraryImport(GpuLibraryDescriptor.NvrtcImport)]
    public static partial NvrtcResult nvrtcDestroyProgram(ref nint program);

    [LibraryImport(GpuLibraryDescriptor.NvrtcImport)]
    public static partial NvrtcResult nvrtcCompileProgram(NvrtcProgramHandle program, int numOptions, byte** options);

    [LibraryImport(GpuLibraryDescriptor.NvrtcImport)]
    public static partial NvrtcResult nvrtcGetProgramLogSize(NvrtcProgramHandle program, out nuint logSize);

    [LibraryImport(GpuLibraryDescriptor.NvrtcImport)]
    public static partial NvrtcResult nvrtcGetProgramLog(NvrtcProgramHandle program, byte* log);

    [LibraryImport(GpuLibraryDescriptor.NvrtcImport)]
    public static partial NvrtcResult nvrtcGetCUBINSize(NvrtcProgramHandle program, out nuint cubinSize);

    [LibraryImport(GpuLibraryDescriptor.NvrtcImport)]
    public static partial NvrtcResult nvrtcGetCUBIN(NvrtcProgramHandle program, byte* cubin);

    [LibraryImport(GpuLibraryDescriptor.NvrtcImport)]
    public static partial NvrtcResult nvrtcGetPTXSize(NvrtcProgramHandle program, out nuint ptxSize);

    [LibraryImport(GpuLibraryDescriptor.NvrtcImport)]
    public static partial NvrtcResult nvrtcGetPTX(NvrtcProgramHandle program, byte* ptx);
}

/// <summary>An nvrtcProgram.</summary>
internal sealed class NvrtcProgramHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public NvrtcProgramHandle(nint raw)
        : base(ownsHandle: true) => SetHandle(raw);

    protected override bool ReleaseHandle()
    {
        var raw = handle;
        return Nvrtc.nvrtcDestroyProgram(ref raw) == NvrtcResult.NVRTC_SUCCESS;
    }
}
