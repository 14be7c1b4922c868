using LlmBench.Gpu.Interop;

namespace LlmBench.Gpu;

/// <summary>Page-locked host memory: the only kind the GPU can copy to or from asynchronously.</summary>
public sealed unsafe class PinnedHostBuffer<T> : IDisposable
    where T : unmanaged
{
    private readonly PinnedHostMemoryHandle _memory;

    internal PinnedHostBuffer(PinnedHostMemoryHandle memory, int length)
    {
        _memory = memory;
        Length = length;
    }

    public int Length { get; }

    public long SizeInBytes => (long)Length * sizeof(T);

    public Span<T> Span
    {
        get
        {
            ObjectDisposedException.ThrowIf(_memory.IsClosed, this);
            return new Span<T>((void*)_memory.HostPointer, Length);
        }
    }

    internal void* Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(_memory.IsClosed, this);
            return (void*)_memory.HostPointer;
        }
    }

    public bool IsDisposed => _memory.IsClosed;

    public void Dispose() => _memory.Dispose();
}
