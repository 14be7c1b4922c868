using System.Diagnostics;
using LlmBench.Gpu;

namespace LlmBench.Engine.Cuda;

/// <summary>
/// How much of each step the GPU sits idle: events bracket the step's GPU work (upload to readback) and the
/// host clock measures from one step's start to the next, so idle = interval − GPU time (the CPU's scheduling,
/// input preparation and launch latency that the GPU waited for).
/// </summary>
internal sealed class StepTimer : IDisposable
{
    private readonly CudaEvent _start;
    private readonly CudaEvent _end;
    private long _lastStartTicks;
    private bool _pending;

    public StepTimer(GpuDevice device)
    {
        _start = device.CreateEvent();
        _end = device.CreateEvent();
    }

    public double GpuBusyMs { get; private set; }
    public double IntervalMs { get; private set; }
    public long Steps { get; private set; }
    public double LastGpuMs { get; private set; }

    /// <summary>Share of the time between step starts that the GPU was idle, over all timed steps; 0 before any.</summary>
    public double IdleShare => IntervalMs > 0 ? Math.Clamp(1 - GpuBusyMs / IntervalMs, 0, 1) : 0;

    public void Begin(CudaStream stream)
    {
        long now = Stopwatch.GetTimestamp();
        if (_pending)
        {
            // The previous step's interval ends where this one starts.
            IntervalMs += Stopwatch.GetElapsedTime(_lastStartTicks, now).TotalMilliseconds;
            GpuBusyMs += LastGpuMs;
            Steps++;
        }
        _lastStartTicks = now;
        _start.Record(stream);
    }

    /// <summary>Records the end of the step's GPU work; call <see cref="Complete"/> after the stream synchronized.</summary>
    public void End(CudaStream stream) => _end.Record(stream);

    public void Complete()
    {
        LastGpuMs = CudaEvent.ElapsedMilliseconds(_start, _end);
        _pending = true;
    }

    public void Dispose()
    {
        _start.Dispose();
        _end.Dispose();
    }
}
