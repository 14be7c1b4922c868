using LlmBench.Benchmarks.Running;
using LlmBench.Benchmarks.Workloads;
using LlmBench.Reports.Offline;

namespace LlmBench.Benchmarks.Lockstep;

/// <summary>
/// `throughput --backend hf|hf-compile|openai`: every request is queued at once, as for llmbench, but the backend has no
/// continuous batching, so they run as static batches of <paramref name="batchSize"/> one after another (as the
/// framework tables run them). Every request's send is the start; a later batch's TTFT includes its wait. The backend
/// is prepared for every batch size first (a compiling backend compiles then, apart from the clock), and one short
/// uncounted batch runs before it.
/// </summary>
public sealed class StaticBatchRunner(ILockstepBackend backend, int batchSize, IBenchmarkClock clock)
{
    private int _completed;

    public int Completed => Volatile.Read(ref _completed);

    /// <summary>Compile seconds summed over the batch sizes prepared; null when nothing compiled.</summary>
    public double? CompileSeconds { get; private set; }

    public OfflineMeasurement Run(IReadOnlyList<WorkloadRequest> requests, ulong seed, CancellationToken cancellationToken)
    {
        var batches = requests.Chunk(batchSize).ToArray();
        int longest = requests.Count == 0 ? 1 : requests.Max(r => r.PromptIds.Length + r.OutputTokens);
        foreach (var size in batches.Select(b => b.Length).Distinct())
        {
            var prepared = backend.Prepare(size, longest, cancellationToken);
            if (prepared.CompileSeconds is { } s)
                CompileSeconds = (CompileSeconds ?? 0) + s;
        }

        if (batches.Length > 0)
            backend.Run(batches[0].Select(r => r with { OutputTokens = Math.Min(r.OutputTokens, SweepRunner.WarmupOutputTokens) }).ToArray(), seed, cancellationToken);

        var outcomes = new List<RequestOutcome>(requests.Count);
        double start = clock.NowSeconds;
        bool incomplete = false;
        foreach (var batch in batches)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                incomplete = true;
                break;
            }

            double offset = clock.NowSeconds - start;
            var m = backend.Run(batch, seed, cancellationToken);
            foreach (var o in m.Offline.Outcomes)
            {
                outcomes.Add(o with
                {
                    Id = $"req-{outcomes.Count}",
                    SendSeconds = 0,
                    FirstTokenSeconds = offset + o.FirstTokenSeconds,
                    LastTokenSeconds = offset + o.LastTokenSeconds,
                });
                Interlocked.Increment(ref _completed);
            }
        }

        double end = outcomes.Select(o => o.LastTokenSeconds ?? 0).DefaultIfEmpty(0).Max();
        var activity = new EngineActivity(batches.Length, 0, 0, batchSize, batchSize, 0, 0);
        return new OfflineMeasurement(end, requests.Count, outcomes, activity, incomplete);
    }
}
