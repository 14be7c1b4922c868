using Microsoft.Win32.SafeHandles;

namespace LlmBench.Gpu.Interop;

/// <summary>
/// A CUDA object that belongs to a context. Release pushes that context for the duration of the destroy call, so
/// a handle freed on any thread (or by the finalizer) reaches the right device and leaves the thread's current
/// context as it was.
/// </summary>
internal abstract class CudaContextBoundHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    protected CudaContextBoundHandle(nint context, nint raw)
        : base(ownsHandle: true)
    {
        Context = context;
        SetHandle(raw);
    }

    public nint Context { get; }

    protected sealed override bool ReleaseHandle()
    {
        if (CudaDriver.cuCtxPushCurrent_v2(Context) != CudaResult.CUDA_SUCCESS)
            return false;
        var destroyed = Destroy(handle) == CudaResult.CUDA_SUCCESS;
        CudaDriver.cuCtxPopCurrent_v2(out _);
        return destroyed;
    }

    protected abstract CudaResult Destroy(nint raw);
}

/// <summary>A retained primary context; release gives the retain back (the driver destroys it at the last release).</summary>
internal sealed class CudaPrimaryContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public CudaPrimaryContextHandle(nint context, int device)
        : base(ownsHandle: true)
    {
        Device = device;
        SetHandle(context);
    }

    public int Device { get; }

    protected override bool ReleaseHandle() => CudaDriver.cuDevicePrimaryCtxRelease_v2(Device) == CudaResult.CUDA_SUCCESS;
}

internal sealed class CudaStreamHandle(nint context, nint raw) : CudaContextBoundHandle(context, raw)
{
    protected override CudaResult Destroy(nint raw) => CudaDriver.cuStreamDestroy_v2(raw);
}

internal sealed class CudaEventHandle(nint context, nint raw) : CudaContextBoundHandle(context, raw)
{
    protected override CudaResult Destroy(nint raw) => CudaDriver.cuEventDestroy_v2(raw);
}

internal sealed class CudaModuleHandle(nint context, nint raw) : CudaContextBoundHandle(context, raw)
{
    protected override CudaResult Destroy(nint raw) => CudaDriver.cuModuleUnload(raw);
}

internal sealed class CudaGraphHandle(nint context, nint raw) : CudaContextBoundHandle(context, raw)
{
    protected override CudaResult Destroy(nint raw) => CudaDriver.cuGraphDestroy(raw);
}

internal sealed class CudaGraphExecHandle(nint context, nint raw) : CudaContextBoundHandle(context, raw)
{
    protected override CudaResult Destroy(nint raw) => CudaDriver.cuGraphExecDestroy(raw);
}

/// <summary>Device memory from cuMemAlloc_v2; the handle value is the CUdeviceptr.</summary>
internal sealed class DeviceMemoryHandle(nint context, ulong devicePointer) : CudaContextBoundHandle(context, (nint)devicePointer)
{
    public ulong DevicePointer => (ulong)handle;

    protected override CudaResult Destroy(nint raw) => CudaDriver.cuMemFree_v2((ulong)raw);
}

/// <summary>Page-locked host memory from cuMemAllocHost_v2.</summary>
internal sealed class PinnedHostMemoryHandle(nint context, nint hostPointer) : CudaContextBoundHandle(context, hostPointer)
{
    public nint HostPointer => handle;

    protected override CudaResult Destroy(nint raw) => CudaDriver.cuMemFreeHost(raw);
}
