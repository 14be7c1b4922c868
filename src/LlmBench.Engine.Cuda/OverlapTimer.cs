using LlmBench.Gpu;

namespace LlmBench.Engine.Cuda;

/// <summary>
/// GPU idle time of overlapped steps, from events alone: step k's GPU time is start_k → end_k, and the GPU was
/// idle between end_{k-1} and start_k when the CPU launched step k late. Three event pairs rotate because step
/// k+1 is recorded before step k is collected.
/// </summary>
internal sealed class OverlapTimer : IDisposable
{
    private const int Slots = 3;
    private readonly CudaEvent[] _starts;
    private readonly CudaEvent[] _ends;
    private long _launched;
    private long _collected;

    public OverlapTimer(GpuDevice device)
    {
        _starts = [.. Enumerable.Range(0, Slots).Select(_ => device.CreateEvent())];
        _ends = [.. Enumerable.Range(0, Slots).Select(_ => device.CreateEvent())];
    }

    public double GpuBusyMs { get; private set; }
    public double SpanMs { get; private set; }
    public double LastGpuMs { get; private set; }
    public double IdleShare => SpanMs > 0 ? Math.Clamp(1 - GpuBusyMs / SpanMs, 0, 1) : 0;

    public void Begin(CudaStream stream) => _starts[_launched % Slots].Record(stream);

    public void End(CudaStream stream) => _ends[_launched++ % Slots].Record(stream);

    /// <summary>Waits for the oldest launched step and adds its busy and idle time.</summary>
    public void Collect()
    {
        int slot = (int)(_collected % Slots);
        LastGpuMs = CudaEvent.ElapsedMilliseconds(_starts[slot], _ends[slot]);
        if (_collected > 0)
        {
            // Consecutive steps: the span from the previous step's end covers this step's idle gap and its work.
            SpanMs += CudaEvent.ElapsedMilliseconds(_ends[(_collected - 1) % Slots], _ends[slot]);
            GpuBusyMs += LastGpuMs;
        }
        _collected++;
    }

    /// <summary>Forgets the previous step's end, when the engine went idle (no step launched for a while).</summary>
    public void Restart() => _collected = _launched = 0;

    public void Dispose()
    {
        foreach (var e in _starts.Concat(_ends))
            e.Dispose();
    }
}
