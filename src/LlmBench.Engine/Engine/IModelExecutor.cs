using LlmBench.Engine.Models;
using LlmBench.Engine.Scheduling;

namespace LlmBench.Engine;

/// <summary>
/// A backend that runs the model for one scheduled step: it owns the weights, the KV cache and the sampler, and
/// turns a <see cref="StepPlan"/> into sampled token ids. The CPU executor is the reference; the CUDA executor
/// implements the same contract under the same scheduler.
/// </summary>
public interface IModelExecutor : IDisposable
{
    ModelConfig Model { get; }

    /// <summary>KV cache blocks this executor allocated; the scheduler's block manager hands them out.</summary>
    int NumKvBlocks { get; }

    /// <summary>
    /// Processes every token of <paramref name="plan"/> (writing their K/V into the blocks of their sequences) and
    /// samples one token per entry with <see cref="ScheduledSequence.Sample"/> set, in entry order.
    /// </summary>
    void Execute(StepPlan plan, Span<int> sampledTokenIds);

    /// <summary>
    /// Like <see cref="Execute"/> but returns the raw last-position logits of the sampling entries,
    /// [NumSampled × vocab], instead of sampling: for tests and comparisons against references.
    /// </summary>
    void ExecuteForLogits(StepPlan plan, Span<float> logits);

    /// <summary>Share of the time between step starts that the accelerator sat idle, where the backend measures it.</summary>
    double? GpuIdleShare => null;
}
