using LlmBench.Gpu.Interop;

namespace LlmBench.Gpu;

/// <summary>An ordered queue of GPU work. All asynchronous copies, launches, graph replays and captures go through one.</summary>
public sealed unsafe class CudaStream : IDisposable
{
    internal CudaStream(GpuDevice device, CudaStreamHandle handle)
    {
        Device = device;
        Handle = handle;
    }

    public GpuDevice Device { get; }

    internal CudaStreamHandle Handle { get; }

    public bool IsDisposed => Handle.IsClosed;

    /// <summary>
    /// While true, kernels launched on this stream use programmatic dependent launch (Hopper and later): each may
    /// start while the kernel before it is still running, and must itself wait (PTX <c>griddepcontrol.wait</c>)
    /// before it reads what earlier work wrote or writes anything. Work placed before the wait (loading weights)
    /// overlaps the previous kernel's tail. Only turn it on around launches of kernels that wait; it does not affect
    /// copies, graph launches or library calls. Captured into graphs as programmatic edges.
    /// </summary>
    public bool ProgrammaticDependentLaunch { get; set; }

    /// <summary>Blocks until everything queued so far has run; raises errors of earlier launches.</summary>
    public void Synchronize() => CudaCheck.ThrowIfFailed(CudaDriver.cuStreamSynchronize(Handle));

    public void CopyAsync<T>(DeviceSpan<T> destination, DeviceSpan<T> source)
        where T : unmanaged
    {
        RequireSameLength(destination.Length, source.Length);
        CudaCheck.ThrowIfFailed(CudaDriver.cuMemcpyDtoDAsync_v2(destination.Pointer, source.Pointer, (nuint)source.SizeInBytes, Handle));
    }

    public void UploadAsync<T>(DeviceSpan<T> destination, PinnedHostBuffer<T> source)
        where T : unmanaged
    {
        RequireSameLength(destination.Length, source.Length);
        CudaCheck.ThrowIfFailed(CudaDriver.cuMemcpyHtoDAsync_v2(destination.Pointer, source.Pointer, (nuint)source.SizeInBytes, Handle));
    }

    public void DownloadAsync<T>(PinnedHostBuffer<T> destination, DeviceSpan<T> source)
        where T : unmanaged
    {
        RequireSameLength(destination.Length, source.Length);
        CudaCheck.ThrowIfFailed(CudaDriver.cuMemcpyDtoHAsync_v2(destination.Pointer, source.Pointer, (nuint)destination.SizeInBytes, Handle));
    }

    /// <summary>
    /// Copies destination.Length elements from <paramref name="source"/> starting at <paramref name="sourceStart"/>:
    /// uploads only the used prefix of a region of a larger pinned staging buffer.
    /// </summary>
    public void UploadAsync<T>(DeviceSpan<T> destination, PinnedHostBuffer<T> source, int sourceStart)
        where T : unmanaged
    {
        if (sourceStart < 0 || sourceStart + destination.Length > source.Length)
            throw new ArgumentOutOfRangeException(nameof(sourceStart), $"[{sourceStart}, {sourceStart + destination.Length}) is outside a pinned buffer of {source.Length} elements.");
        if (destination.Length == 0)
            return;
        var start = (byte*)source.Pointer + (long)sourceStart * sizeof(T);
        CudaCheck.ThrowIfFailed(CudaDriver.cuMemcpyHtoDAsync_v2(destination.Pointer, start, (nuint)destination.SizeInBytes, Handle));
    }

    /// <summary>
    /// Copies source.Length elements into <paramref name="destination"/> from its start: reads back only the used
    /// prefix of a larger device buffer.
    /// </summary>
    public void DownloadPrefixAsync<T>(PinnedHostBuffer<T> destination, DeviceSpan<T> source)
        where T : unmanaged
    {
        if (source.Length > destination.Length)
            throw new ArgumentOutOfRangeException(nameof(source), $"{source.Length} elements do not fit a pinned buffer of {destination.Length}.");
        if (source.Length == 0)
            return;
        CudaCheck.ThrowIfFailed(CudaDriver.cuMemcpyDtoHAsync_v2(destination.Pointer, source.Pointer, (nuint)source.SizeInBytes, Handle));
    }

    /// <summary>Sets every byte of the view to <paramref name="value"/>.</summary>
    public void FillBytesAsync<T>(DeviceSpan<T> destination, byte value)
        where T : unmanaged =>
        CudaCheck.ThrowIfFailed(CudaDriver.cuMemsetD8Async(destination.Pointer, value, (nuint)destination.SizeInBytes, Handle));

    /// <summary>Sets every 32-bit word of the view (its byte size must be a multiple of 4) to <paramref name="bits"/>.</summary>
    public void Fill32Async<T>(DeviceSpan<T> destination, uint bits)
        where T : unmanaged
    {
        if (destination.SizeInBytes % 4 != 0)
            throw new ArgumentException("A 32-bit fill needs a byte size divisible by 4.", nameof(destination));
        CudaCheck.ThrowIfFailed(CudaDriver.cuMemsetD32Async(destination.Pointer, bits, (nuint)(destination.SizeInBytes / 4), Handle));
    }

    /// <summary>Makes later work on this stream wait for <paramref name="cudaEvent"/> (recorded on any stream).</summary>
    public void Wait(CudaEvent cudaEvent) => CudaCheck.ThrowIfFailed(CudaDriver.cuStreamWaitEvent(Handle, cudaEvent.Handle, 0));

    /// <summary>
    /// Records the work <paramref name="enqueue"/> puts on this stream into a graph instead of running it. Capture
    /// ends even when <paramref name="enqueue"/> throws, so the stream is usable afterwards.
    /// </summary>
    public CudaGraph Capture(Action<CudaStream> enqueue, CudaStreamCaptureMode mode = CudaStreamCaptureMode.CU_STREAM_CAPTURE_MODE_THREAD_LOCAL)
    {
        ArgumentNullException.ThrowIfNull(enqueue);
        Device.MakeCurrent();
        CudaCheck.ThrowIfFailed(CudaDriver.cuStreamBeginCapture_v2(Handle, mode));
        nint raw;
        try
        {
            enqueue(this);
        }
        catch
        {
            if (CudaDriver.cuStreamEndCapture(Handle, out raw) == CudaResult.CUDA_SUCCESS && raw != 0)
                new CudaGraphHandle(Device.Context, raw).Dispose();
            throw;
        }

        CudaCheck.ThrowIfFailed(CudaDriver.cuStreamEndCapture(Handle, out raw));
        return new CudaGraph(Device, new CudaGraphHandle(Device.Context, raw));
    }

    public void Dispose() => Handle.Dispose();

    private static void RequireSameLength(long destination, long source)
    {
        if (destination != source)
            throw new ArgumentException($"Copy lengths differ: destination {destination}, source {source} elements.");
    }
}
