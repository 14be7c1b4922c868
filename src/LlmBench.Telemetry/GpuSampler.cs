using System.Diagnostics;

namespace LlmBench.Telemetry;

/// <summary>
/// Reads every selected GPU at a fixed rate (default 10 Hz) on a background thread and keeps the samples, so a
/// benchmark can start it, run, stop it and ask for a <see cref="TelemetrySummary"/>. Readings that fail are counted,
/// not fatal: a benchmark must not die because one NVML call timed out.
/// </summary>
public sealed class GpuSampler : IDisposable
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    private readonly IGpuSampleSource _source;
    private readonly List<GpuSample> _samples = [];
    private readonly object _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;

    public GpuSampler(IGpuSampleSource source, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        Interval = interval ?? DefaultInterval;
        if (Interval <= TimeSpan.Zero)
            throw new ArgumentException("The sampling interval must be positive.", nameof(interval));
        _source = source;
    }

    public TimeSpan Interval { get; }

    public IReadOnlyList<(int Index, string Name)> Gpus => _source.Gpus;

    /// <summary>Called on the sampler thread after each round, with that round's samples (one per GPU).</summary>
    public event Action<IReadOnlyList<GpuSample>>? SamplesTaken;

    public int FailedReads { get; private set; }

    public Exception? LastError { get; private set; }

    public void Start()
    {
        if (_thread is not null)
            throw new InvalidOperationException("The sampler is already started.");
        _thread = new Thread(Loop) { IsBackground = true, Name = "llmbench-gpu-sampler" };
        _thread.Start();
    }

    /// <summary>Stops sampling and waits for the thread; safe to call twice.</summary>
    public void Stop()
    {
        if (_thread is null || _stop.IsCancellationRequested)
            return;
        _stop.Cancel();
        _thread.Join();
    }

    /// <summary>A copy of everything sampled so far.</summary>
    public IReadOnlyList<GpuSample> Snapshot()
    {
        lock (_gate)
            return _samples.ToArray();
    }

    public TelemetrySummary Summarize() => TelemetrySummary.From(Snapshot(), _source.Gpus);

    private void Loop()
    {
        var clock = Stopwatch.StartNew();
        var round = 0L;
        while (!_stop.IsCancellationRequested)
        {
            TakeRound(clock.Elapsed.TotalSeconds);
            round++;
            // Rounds are scheduled on a fixed grid, so a slow read does not shift every later sample.
            var wait = TimeSpan.FromTicks(Interval.Ticks * round) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
                _stop.Token.WaitHandle.WaitOne(wait);
        }
    }

    private void TakeRound(double elapsedSeconds)
    {
        IReadOnlyList<GpuSample> taken;
        try
        {
            var now = DateTimeOffset.UtcNow;
            var readings = _source.ReadAll();
            taken = readings.Select((r, i) => new GpuSample(_source.Gpus[i].Index, now, elapsedSeconds, r)).ToArray();
        }
        catch (Exception ex) when (ex is LlmBench.Gpu.GpuException or InvalidOperationException)
        {
            FailedReads++;
            LastError = ex;
            return;
        }

        lock (_gate)
            _samples.AddRange(taken);
        SamplesTaken?.Invoke(taken);
    }

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }
}
