using System.Runtime.InteropServices;
using LlmBench.Gpu.Interop.Loading;

namespace LlmBench.Gpu.Interop;

/// <summary>CUPTI's activity API (libcupti.so.13 or .12), declared with the names of cupti_activity.h.</summary>
internal static unsafe partial class Cupti
{
    static Cupti() => GpuLibraryLoader.EnsureResolverRegistered();

    /// <summary>CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL: kernels, graph nodes included, without serializing them.</summary>
    public const int ActivityKindConcurrentKernel = 10;

    /// <summary>CUPTI_ACTIVITY_FLAG_FLUSH_FORCED: hand over buffers that are not full yet.</summary>
    public const uint FlushForced = 1;

    [LibraryImport(GpuLibraryDescriptor.CuptiImport)]
    public static partial CuptiResult cuptiGetResultString(CuptiResult result, out nint text);

    [LibraryImport(GpuLibraryDescriptor.CuptiImport)]
    public static partial CuptiResult cuptiGetVersion(out uint version);

    [LibraryImport(GpuLibraryDescriptor.CuptiImport)]
    public static partial CuptiResult cuptiGetTimestamp(out ulong timestamp);

    [LibraryImport(GpuLibraryDescriptor.CuptiImport)]
    public static partial CuptiResult cuptiActivityEnable(int kind);

    [LibraryImport(GpuLibraryDescriptor.CuptiImport)]
    public static partial CuptiResult cuptiActivityDisable(int kind);

    [LibraryImport(GpuLibraryDescriptor.CuptiImport)]
    public static partial CuptiResult cuptiActivityRegisterCallbacks(
        delegate* unmanaged<byte**, nuint*, nuint*, void> bufferRequested,
        delegate* unmanaged<nint, uint, byte*, nuint, nuint, void> bufferCompleted);

    [LibraryImport(GpuLibraryDescriptor.CuptiImport)]
    public static partial CuptiResult cuptiActivityFlushAll(uint flag);

    [LibraryImport(GpuLibraryDescriptor.CuptiImport)]
    public static partial CuptiResult cuptiActivityGetNextRecord(byte* buffer, nuint validBufferSizeBytes, byte** record);

    [LibraryImport(GpuLibraryDescriptor.CuptiImport)]
    public static partial CuptiResult cuptiActivityGetNumDroppedRecords(nint context, uint streamId, out nuint dropped);
}
