using LlmBench.Benchmarks.Workloads;
using LlmBench.Engine.Api;

namespace LlmBench.Benchmarks.Running;

/// <summary>
/// The `llmbench run` loop on one engine, on the calling thread: keep <see cref="ClosedLoopOptions.Concurrency"/>
/// requests in flight (a finished one is replaced after the step that finished it), step through an uncounted
/// warm-up, then measure for the duration. The window ends at the first step that reaches its end, so its length
/// is measured, not assumed. Ctrl-C or an engine error ends the run early with what was measured.
/// </summary>
public sealed class ClosedLoopRunner(IInferenceEngine engine, IBenchmarkClock clock, ClosedLoopOptions options)
{
    private LiveStatus _status = LiveStatus.Starting;

    /// <summary>The latest snapshot, for a live view on another thread.</summary>
    public LiveStatus Status => Volatile.Read(ref _status);

    public ClosedLoopMeasurement Run(Func<WorkloadRequest> nextRequest, CancellationToken cancellationToken)
    {
        var ledger = new RequestLedger(engine, options.Temperature, options.Seed);
        var activity = new ActivityTracker();
        var windowSteps = new List<StepTokens>();
        var completed = new List<RequestOutcome>();
        var recent = new Queue<StepTokens>();
        long windowTokens = 0;
        double start = clock.NowSeconds;
        double windowStart = double.NaN;
        var windowStartUtc = DateTimeOffset.UtcNow;
        string? error = null;
        bool cancelled = false;
        double now = start;
        try
        {
            while (true)
            {
                while (ledger.InFlight < options.Concurrency)
                    ledger.Send(nextRequest(), now);
                if (cancellationToken.IsCancellationRequested)
                {
                    cancelled = true;
                    break;
                }

                var events = engine.Step();
                now = clock.NowSeconds;
                bool measuring = !double.IsNaN(windowStart);
                int tokens = 0;
                foreach (var tokenEvent in events)
                {
                    if (tokenEvent.TokenId >= 0)
                        tokens++;
                    if (ledger.Record(tokenEvent, now) is { } outcome && measuring && !outcome.Aborted)
                        completed.Add(outcome);
                }

                if (measuring)
                {
                    windowSteps.Add(new StepTokens(now, tokens));
                    windowTokens += tokens;
                    activity.Observe(engine.Stats);
                }
                else if (now - start >= options.WarmupSeconds)
                {
                    windowStart = now;
                    windowStartUtc = DateTimeOffset.UtcNow;
                    activity.Reset(engine.Stats);
                }

                Publish(recent, new StepTokens(now, tokens), start, windowStart, windowTokens, completed.Count);
                if (measuring && now - windowStart >= options.DurationSeconds)
                    break;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A failing engine (a CUDA error mid-run) still leaves the window so far: it is saved, marked invalid.
            error = $"{ex.GetType().Name}: {ex.Message}";
        }

        if (double.IsNaN(windowStart))
        {
            windowStart = now;
            windowStartUtc = DateTimeOffset.UtcNow;
        }

        return new ClosedLoopMeasurement(windowStart - start, windowStart, now, windowStartUtc, DateTimeOffset.UtcNow,
            windowSteps, completed, activity.Freeze(), options.Concurrency, error, cancelled);
    }

    private void Publish(Queue<StepTokens> recent, StepTokens step, double start, double windowStart, long windowTokens, int completed)
    {
        recent.Enqueue(step);
        while (recent.Count > 1 && step.TimeSeconds - recent.Peek().TimeSeconds > options.RecentRateSeconds)
            recent.Dequeue();
        double span = recent.Count > 1 ? step.TimeSeconds - recent.Peek().TimeSeconds : 0;
        // The oldest step's tokens were made before the span starts.
        double recentRate = span > 0 ? recent.Skip(1).Sum(s => s.OutputTokens) / span : 0;
        bool warming = double.IsNaN(windowStart);
        double windowElapsed = warming ? 0 : step.TimeSeconds - windowStart;
        double remaining = warming
            ? options.WarmupSeconds - (step.TimeSeconds - start) + options.DurationSeconds
            : options.DurationSeconds - windowElapsed;
        var stats = engine.Stats;
        Volatile.Write(ref _status, new LiveStatus(
            warming, step.TimeSeconds - start, windowElapsed, Math.Max(0, remaining), windowTokens, recentRate,
            windowElapsed > 0 ? windowTokens / windowElapsed : 0,
            stats.RunningRequests, stats.WaitingRequests, stats.KvCacheUsage, completed));
    }
}
