using LlmBench.Gpu.Interop;

namespace LlmBench.Gpu;

/// <summary>A marker in a stream: for timing GPU work and for ordering one stream after another.</summary>
public sealed class CudaEvent : IDisposable
{
    internal CudaEvent(CudaEventHandle handle) => Handle = handle;

    internal CudaEventHandle Handle { get; }

    public bool IsDisposed => Handle.IsClosed;

    public void Record(CudaStream stream) => CudaCheck.ThrowIfFailed(CudaDriver.cuEventRecord(Handle, stream.Handle));

    public void Synchronize() => CudaCheck.ThrowIfFailed(CudaDriver.cuEventSynchronize(Handle));

    /// <summary>GPU time between two recorded events (about 0.5 µs resolution); waits for <paramref name="end"/>.</summary>
    public static float ElapsedMilliseconds(CudaEvent start, CudaEvent end)
    {
        end.Synchronize();
        CudaCheck.ThrowIfFailed(CudaDriver.cuEventElapsedTime(out var milliseconds, start.Handle, end.Handle));
        return milliseconds;
    }

    public void Dispose() => Handle.Dispose();
}
