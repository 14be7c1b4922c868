namespace LlmBench.Benchmarks.Lockstep;

/// <summary>
/// `llmbench latency`: the same lockstep batch (<see cref="LockstepBatch"/>) run on a backend for warm-up iterations that
/// are not counted, then for measured ones, after the backend's preparation (a compiling backend compiles first, timed
/// apart). Ctrl-C stops and keeps the iterations that finished.
/// </summary>
public sealed class LatencyRunner(ILockstepBackend backend, int vocabSize)
{
    private int _done;

    /// <summary>Iterations finished so far, warm-ups included, for a progress bar on another thread.</summary>
    public int Done => Volatile.Read(ref _done);

    /// <summary>What the backend's preparation did (compile seconds and mode), once it ran.</summary>
    public BackendPreparation Preparation { get; private set; } = BackendPreparation.None;

    public (IReadOnlyList<LockstepMeasurement> Iterations, bool Incomplete) Run(int batch, int input, int output, int warmups, int iterations, ulong seed, CancellationToken cancellationToken)
    {
        var shape = new SweepShape(batch, input, output);
        Preparation = backend.Prepare(batch, shape.LongestSequence, cancellationToken);
        var requests = LockstepBatch.Requests(shape, vocabSize, seed);
        var measured = new List<LockstepMeasurement>(iterations);
        for (int i = 0; i < warmups + iterations; i++)
        {
            if (cancellationToken.IsCancellationRequested)
                return (measured, true);
            var m = backend.Run(requests, seed, cancellationToken);
            if (m.Offline.Incomplete)
                return (measured, true);
            if (i >= warmups)
                measured.Add(m);
            Interlocked.Increment(ref _done);
        }

        return (measured, false);
    }
}
