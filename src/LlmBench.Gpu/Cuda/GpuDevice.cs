using LlmBench.Gpu.Interop;

namespace LlmBench.Gpu;

/// <summary>
/// One GPU, opened through its primary context (the context the CUDA runtime and PyTorch share, so LlmBench can
/// coexist with them in one process). Creates everything that lives on the device: buffers, streams, events, modules.
/// </summary>
public sealed class GpuDevice : IDisposable
{
    private readonly CudaPrimaryContextHandle _context;

    private GpuDevice(GpuDeviceInfo info, CudaPrimaryContextHandle context)
    {
        Info = info;
        _context = context;
    }

    public GpuDeviceInfo Info { get; }

    public int Ordinal => Info.Ordinal;

    internal nint Context => _context.DangerousGetHandle();

    /// <summary>Opens GPU <paramref name="ordinal"/>; a GPU below compute capability 7.0 is refused with one sentence.</summary>
    public static GpuDevice Open(int ordinal = 0)
    {
        var count = Cuda.DeviceCount;
        if (ordinal < 0 || ordinal >= count)
            throw new GpuUnavailableException($"There is no GPU {ordinal}: the driver lists {count} (0 to {count - 1}); pick one with --device.");
        var info = Cuda.GetDeviceInfo(ordinal);
        if (!info.IsSupported)
            throw new GpuUnavailableException(info.UnsupportedReason);
        CudaCheck.ThrowIfFailed(CudaDriver.cuDevicePrimaryCtxRetain(out var raw, ordinal));
        var device = new GpuDevice(info, new CudaPrimaryContextHandle(raw, ordinal));
        device.MakeCurrent();
        return device;
    }

    /// <summary>Makes this GPU's context current on the calling thread (CUDA contexts are per thread).</summary>
    public void MakeCurrent()
    {
        ObjectDisposedException.ThrowIf(_context.IsClosed, this);
        CudaCheck.ThrowIfFailed(CudaDriver.cuCtxSetCurrent(Context));
    }

    public DeviceBuffer<T> Allocate<T>(long length)
        where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        MakeCurrent();
        var bytes = checked((nuint)(length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>()));
        CudaCheck.ThrowIfFailed(CudaDriver.cuMemAlloc_v2(out var pointer, bytes));
        return new DeviceBuffer<T>(this, new DeviceMemoryHandle(Context, pointer), length);
    }

    public PinnedHostBuffer<T> AllocatePinned<T>(int length)
        where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        MakeCurrent();
        var bytes = checked((nuint)((long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>()));
        CudaCheck.ThrowIfFailed(CudaDriver.cuMemAllocHost_v2(out var pointer, bytes));
        return new PinnedHostBuffer<T>(new PinnedHostMemoryHandle(Context, pointer), length);
    }

    public CudaStream CreateStream()
    {
        MakeCurrent();
        CudaCheck.ThrowIfFailed(CudaDriver.cuStreamCreate(out var raw, CudaDriver.CU_STREAM_NON_BLOCKING));
        return new CudaStream(this, new CudaStreamHandle(Context, raw));
    }

    /// <param name="timing">False for events used only to order streams, which are cheaper.</param>
    public CudaEvent CreateEvent(bool timing = true)
    {
        MakeCurrent();
        CudaCheck.ThrowIfFailed(CudaDriver.cuEventCreate(out var raw, timing ? CudaDriver.CU_EVENT_DEFAULT : CudaDriver.CU_EVENT_DISABLE_TIMING));
        return new CudaEvent(new CudaEventHandle(Context, raw));
    }

    /// <summary>Loads a cubin (or NUL-terminated PTX) image.</summary>
    public unsafe CudaModule LoadModule(ReadOnlySpan<byte> image)
    {
        MakeCurrent();
        fixed (byte* p = image)
        {
            CudaCheck.ThrowIfFailed(CudaDriver.cuModuleLoadData(out var raw, p));
            return new CudaModule(new CudaModuleHandle(Context, raw));
        }
    }

    public (long FreeBytes, long TotalBytes) GetMemoryInfo()
    {
        MakeCurrent();
        CudaCheck.ThrowIfFailed(CudaDriver.cuMemGetInfo_v2(out var free, out var total));
        return ((long)free, (long)total);
    }

    /// <summary>Waits for all work on this GPU; reports errors of earlier asynchronous launches.</summary>
    public void Synchronize()
    {
        MakeCurrent();
        CudaCheck.ThrowIfFailed(CudaDriver.cuCtxSynchronize());
    }

    public bool IsDisposed => _context.IsClosed;

    public void Dispose() => _context.Dispose();
}
