using LlmBench.Benchmarks.Workloads;

namespace LlmBench.Benchmarks.Lockstep;

/// <summary>
/// A framework that runs lockstep batches: llmbench's engine (<see cref="EngineLockstepBackend"/>), Hugging Face
/// transformers through the worker process (Frameworks/), or an OpenAI-compatible server. The runner owns the workload,
/// the telemetry and the results, so every backend is measured the same way; a backend only runs batches and reports
/// each request's token times on one clock.
/// </summary>
public interface ILockstepBackend : IDisposable
{
    /// <summary>"llmbench", "llmbench-eager", "hf", "hf-compile", "openai".</summary>
    string Name { get; }

    /// <summary>KV cache blocks of an llmbench engine, for the points' kv_blocks_used; null elsewhere.</summary>
    int? KvBlocks { get; }

    /// <summary>Why <paramref name="shape"/> cannot run on this backend (too long, too many KV blocks), or null.</summary>
    string? DoesNotFit(SweepShape shape);

    /// <summary>
    /// Gets ready for batches of <paramref name="batch"/> requests of at most <paramref name="maxSequenceLength"/> tokens, before
    /// anything is timed: a compiling backend compiles here, and says how long it took and in which mode.
    /// </summary>
    BackendPreparation Prepare(int batch, int maxSequenceLength, CancellationToken cancellationToken);

    /// <summary>One lockstep batch: every request added at once, greedy, EOS ignored, run until the last finishes.</summary>
    LockstepMeasurement Run(IReadOnlyList<WorkloadRequest> requests, ulong seed, CancellationToken cancellationToken);

    /// <summary>After a batch threw: true when the backend can run the next one.</summary>
    bool Recover(int batch);
}

/// <summary>What <see cref="ILockstepBackend.Prepare"/> did: seconds spent compiling and the mode that compiled (both null when nothing is compiled).</summary>
public sealed record BackendPreparation(double? CompileSeconds, string? CompileMode)
{
    public static readonly BackendPreparation None = new(null, null);
}
