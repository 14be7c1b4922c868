using LlmBench.Gpu.Interop;

namespace LlmBench.Gpu;

/// <summary>Owned device memory holding <see cref="Length"/> elements of <typeparamref name="T"/>.</summary>
public sealed class DeviceBuffer<T> : IDisposable
    where T : unmanaged
{
    private readonly GpuDevice _device;
    private readonly DeviceMemoryHandle _memory;

    internal DeviceBuffer(GpuDevice device, DeviceMemoryHandle memory, long length)
    {
        _device = device;
        _memory = memory;
        Length = length;
    }

    public long Length { get; }

    public long SizeInBytes => View.SizeInBytes;

    public ulong Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(_memory.IsClosed, this);
            return _memory.DevicePointer;
        }
    }

    public DeviceSpan<T> View => new(Pointer, Length);

    public bool IsDisposed => _memory.IsClosed;

    public DeviceSpan<T> Slice(long start, long length) => View.Slice(start, length);

    public static implicit operator DeviceSpan<T>(DeviceBuffer<T> buffer) => buffer.View;

    /// <summary>Synchronous upload from ordinary memory (for setup and tests; use a stream and pinned memory in loops).</summary>
    public unsafe void CopyFrom(ReadOnlySpan<T> source)
    {
        if (source.Length > Length)
            throw new ArgumentException($"{source.Length} elements do not fit a buffer of {Length}.", nameof(source));
        _device.MakeCurrent();
        fixed (T* p = source)
            CudaCheck.ThrowIfFailed(CudaDriver.cuMemcpyHtoD_v2(Pointer, p, (nuint)(source.Length * DeviceSpan<T>.ElementSize)));
    }

    /// <summary>Synchronous download of the first <c>destination.Length</c> elements.</summary>
    public unsafe void CopyTo(Span<T> destination)
    {
        if (destination.Length > Length)
            throw new ArgumentException($"{destination.Length} elements are more than the buffer's {Length}.", nameof(destination));
        _device.MakeCurrent();
        fixed (T* p = destination)
            CudaCheck.ThrowIfFailed(CudaDriver.cuMemcpyDtoH_v2(p, Pointer, (nuint)(destination.Length * DeviceSpan<T>.ElementSize)));
    }

    public T[] ToArray()
    {
        var result = new T[checked((int)Length)];
        CopyTo(result);
        return result;
    }

    public void Dispose() => _memory.Dispose();
}
