using LlmBench.Benchmarks.Workloads;
using LlmBench.Engine.Api;

namespace LlmBench.Benchmarks.Running;

/// <summary>
/// The offline benchmark (`llmbench throughput`, like `vllm bench throughput` and nano-vllm's bench.py): every
/// request is queued at once and the engine is stepped on this thread until all are done. A short uncounted
/// warm-up generate runs first, as bench.py does.
/// </summary>
public sealed class OfflineRunner(IInferenceEngine engine, IBenchmarkClock clock)
{
    /// <summary>Prompt and output length of the warm-up generate.</summary>
    public const int WarmupTokens = 8;

    /// <summary>Completed requests so far, for a progress bar on another thread.</summary>
    public int Completed => Volatile.Read(ref _completed);

    private int _completed;

    public void WarmUp()
    {
        var ledger = new RequestLedger(engine, temperature: 1.0f, seed: ulong.MaxValue / 2);
        int promptLength = Math.Clamp(WarmupTokens, 1, engine.MaxModelLength / 2);
        ledger.Send(new WorkloadRequest(new int[promptLength], Math.Min(WarmupTokens, engine.MaxModelLength - promptLength)), clock.NowSeconds);
        while (engine.HasUnfinishedRequests)
            engine.Step();
    }

    /// <summary>Runs the requests; Ctrl-C aborts what is left and returns what finished, marked incomplete.</summary>
    public OfflineMeasurement Run(IReadOnlyList<WorkloadRequest> requests, float temperature, ulong seed, CancellationToken cancellationToken)
    {
        var ledger = new RequestLedger(engine, temperature, seed);
        var activity = new ActivityTracker();
        activity.Reset(engine.Stats);
        var outcomes = new List<RequestOutcome>(requests.Count);
        double start = clock.NowSeconds;
        foreach (var request in requests)
            ledger.Send(request, start);

        bool cancelled = false;
        while (engine.HasUnfinishedRequests)
        {
            if (cancellationToken.IsCancellationRequested && !cancelled)
            {
                cancelled = true;
                foreach (var id in ledger.OpenIds.ToArray())
                    engine.Abort(id);
            }

            var events = engine.Step();
            double now = clock.NowSeconds;
            foreach (var tokenEvent in events)
            {
                if (ledger.Record(tokenEvent, now) is { } outcome)
                {
                    outcomes.Add(outcome);
                    if (!outcome.Aborted)
                        Interlocked.Increment(ref _completed);
                }
            }

            activity.Observe(engine.Stats);
        }

        double end = outcomes.Where(o => !o.Aborted && o.LastTokenSeconds is not null).Select(o => o.LastTokenSeconds!.Value).DefaultIfEmpty(start).Max();
        return new OfflineMeasurement(end - start, requests.Count, outcomes, activity.Freeze(), cancelled);
    }
}
