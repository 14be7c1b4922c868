using LlmBench.Engine.Models;
using LlmBench.Engine.Scheduling;

namespace LlmBench.Engine;

/// <summary>
/// A backend that runs the model for one scheduled step: it owns the weights, the KV cache, the sampler and the
/// device it runs on (disposing the executor releases all of them), and turns a <see cref="StepPlan"/> into sampled
/// token ids. The CPU executor is the reference; the CUDA executor implements the same contract under the same
/// scheduler.
/// </summary>
/// <remarks>
/// One contract for every capability, with no default implementations: a type that forwards to an executor must
/// forward every member, so nothing between the engine and the backend can hide a capability (an earlier wrapper that
/// owned the GPU implemented only the synchronous half and turned overlap off in production).
/// <para>
/// Two ways to run a step. Synchronous: <see cref="Execute"/>. Overlapped (when <see cref="OverlapEnabled"/>): the
/// CPU schedules and prepares step N+1 while the device runs step N. A token the host does not know yet is
/// <see cref="Placeholder"/> in its sequence: the executor reads it on the device from the previous launched step's
/// samples, and the engine learns it one step later from <see cref="Collect"/>.
/// </para>
/// </remarks>
public interface IModelExecutor : IDisposable
{
    /// <summary>The token id a sequence holds for a sample that has not come back yet (overlapped steps).</summary>
    const int Placeholder = -1;

    ModelConfig Model { get; }

    /// <summary>KV cache blocks this executor allocated; the scheduler's block manager hands them out.</summary>
    int NumKvBlocks { get; }

    /// <summary>Share of the time between step starts that the accelerator sat idle, where the backend measures it (else null).</summary>
    double? GpuIdleShare { get; }

    /// <summary>True when <see cref="Execute"/> fills in log probabilities for entries whose request asked for them
    /// (<see cref="Api.SamplingParams.Logprobs"/>); the engine refuses such requests on a backend that does not.</summary>
    bool ComputesLogprobs { get; }

    /// <summary>
    /// Processes every token of <paramref name="plan"/> (writing their K/V into the blocks of their sequences) and
    /// samples one token per entry with <see cref="ScheduledSequence.Sample"/> set, in entry order. Where
    /// <see cref="ComputesLogprobs"/>, <paramref name="logprobs"/> (one slot per sampled entry) gets the raw log
    /// probabilities of each entry that asked for them and null for the others; other backends leave it untouched.
    /// </summary>
    void Execute(StepPlan plan, Span<int> sampledTokenIds, Span<Api.TokenLogprobs?> logprobs);

    /// <summary>
    /// Like <see cref="Execute"/> but returns the raw last-position logits of the sampling entries,
    /// [NumSampled × vocab], instead of sampling: for tests and comparisons against references.
    /// </summary>
    void ExecuteForLogits(StepPlan plan, Span<float> logits);

    /// <summary>True when the engine should drive this executor with <see cref="Launch"/>/<see cref="Collect"/>;
    /// false for a backend that runs synchronously (the CPU) or was built so for a comparison.</summary>
    bool OverlapEnabled { get; }

    /// <summary>
    /// Starts <paramref name="plan"/> without waiting. Tokens equal to <see cref="Placeholder"/> (a sequence's last
    /// token, sampled by the previous launch) are taken from that launch's samples on the device.
    /// Backends without overlap throw <see cref="NotSupportedException"/>.
    /// </summary>
    void Launch(StepPlan plan);

    /// <summary>Waits for the oldest launched step and writes its sampled ids in entry order, and (where
    /// <see cref="ComputesLogprobs"/>) the log probabilities of the entries that asked for them, as <see cref="Execute"/> does.</summary>
    void Collect(Span<int> sampledTokenIds, Span<Api.TokenLogprobs?> logprobs);
}
