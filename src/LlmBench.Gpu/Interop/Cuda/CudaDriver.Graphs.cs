using System.Runtime.InteropServices;
using LlmBench.Gpu.Interop.Loading;

namespace LlmBench.Gpu.Interop;

/// <summary>CUDA graphs: stream capture, instantiation, launch and in-place update.</summary>
internal static partial class CudaDriver
{
    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuStreamBeginCapture_v2(CudaStreamHandle stream, CudaStreamCaptureMode mode);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuStreamEndCapture(CudaStreamHandle stream, out nint graph);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuGraphInstantiateWithFlags(out nint graphExec, CudaGraphHandle graph, ulong flags);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuGraphLaunch(CudaGraphExecHandle graphExec, CudaStreamHandle stream);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuGraphExecUpdate_v2(CudaGraphExecHandle graphExec, CudaGraphHandle graph, out CudaGraphExecUpdateResultInfo resultInfo);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuGraphGetNodes(CudaGraphHandle graph, nint nodes, ref nuint count);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuGraphDestroy(nint graph);

    [LibraryImport(GpuLibraryDescriptor.CudaImport)]
    public static partial CudaResult cuGraphExecDestroy(nint graphExec);
}

/// <summary>CUstreamCaptureMode.</summary>
#pragma warning disable CA1707
public enum CudaStreamCaptureMode
{
    /// <summary>Unsafe calls from any thread invalidate the capture.</summary>
    CU_STREAM_CAPTURE_MODE_GLOBAL = 0,

    /// <summary>Only the capturing thread's unsafe calls invalidate it (other threads may allocate meanwhile).</summary>
    CU_STREAM_CAPTURE_MODE_THREAD_LOCAL = 1,

    CU_STREAM_CAPTURE_MODE_RELAXED = 2,
}
#pragma warning restore CA1707

/// <summary>CUgraphExecUpdateResultInfo.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CudaGraphExecUpdateResultInfo
{
    public int Result;
    public nint ErrorNode;
    public nint ErrorFromNode;
}
