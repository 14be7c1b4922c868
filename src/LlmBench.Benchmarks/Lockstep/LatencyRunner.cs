using LlmBench.Benchmarks.Running;
using LlmBench.Engine.Api;

namespace LlmBench.Benchmarks.Lockstep;

/// <summary>
/// `llmbench latency`: the same lockstep batch (<see cref="LockstepBatch"/>) run for warm-up iterations that are not
/// counted, then for measured ones. Ctrl-C stops and keeps the iterations that finished.
/// </summary>
public sealed class LatencyRunner(IInferenceEngine engine, int vocabSize, IBenchmarkClock clock)
{
    private int _done;

    /// <summary>Iterations finished so far, warm-ups included, for a progress bar on another thread.</summary>
    public int Done => Volatile.Read(ref _done);

    public (IReadOnlyList<LockstepMeasurement> Iterations, bool Incomplete) Run(int batch, int input, int output, int warmups, int iterations, ulong seed, CancellationToken cancellationToken)
    {
        var lockstep = new LockstepBatch(engine, vocabSize, clock);
        var requests = lockstep.Requests(batch, input, output, seed);
        var measured = new List<LockstepMeasurement>(iterations);
        for (int i = 0; i < warmups + iterations; i++)
        {
            if (cancellationToken.IsCancellationRequested)
                return (measured, true);
            var m = lockstep.Run(requests, seed, cancellationToken);
            if (m.Offline.Incomplete)
                return (measured, true);
            if (i >= warmups)
                measured.Add(m);
            Interlocked.Increment(ref _done);
        }

        return (measured, false);
    }
}
