using LlmBench.Engine.Api;
using LlmBench.Reports.Offline;

namespace LlmBench.Benchmarks.Running;

/// <summary>Folds the engine's stats, read after every step, into <see cref="EngineActivity"/>.</summary>
internal sealed class ActivityTracker
{
    private long _steps;
    private double _peakKv;
    private double _sumKv;
    private int _maxRunning;
    private double _sumRunning;
    private int _maxWaiting;
    private long? _firstPreemptions;
    private long _lastPreemptions;

    public EngineStats Latest { get; private set; }

    /// <summary>Starts counting preemptions from this reading (the warm-up's are not the window's).</summary>
    public void Reset(EngineStats stats)
    {
        _steps = 0;
        _peakKv = _sumKv = _sumRunning = 0;
        _maxRunning = _maxWaiting = 0;
        _firstPreemptions = stats.Preemptions;
        _lastPreemptions = stats.Preemptions;
        Latest = stats;
    }

    public void Observe(EngineStats stats)
    {
        _firstPreemptions ??= stats.Preemptions;
        _lastPreemptions = stats.Preemptions;
        _steps++;
        _peakKv = Math.Max(_peakKv, stats.KvCacheUsage);
        _sumKv += stats.KvCacheUsage;
        _maxRunning = Math.Max(_maxRunning, stats.RunningRequests);
        _sumRunning += stats.RunningRequests;
        _maxWaiting = Math.Max(_maxWaiting, stats.WaitingRequests);
        Latest = stats;
    }

    public EngineActivity Freeze() => new(
        _steps,
        _peakKv,
        _steps > 0 ? _sumKv / _steps : 0,
        _maxRunning,
        _steps > 0 ? _sumRunning / _steps : 0,
        _maxWaiting,
        _lastPreemptions - (_firstPreemptions ?? _lastPreemptions));
}
