using LlmBench.Engine.Scheduling;

namespace LlmBench.Engine;

/// <summary>
/// An executor that runs steps asynchronously, so the CPU schedules and prepares step N+1 while the device runs
/// step N. A token the host does not know yet is <see cref="Placeholder"/> in its sequence: the executor reads it on
/// the device from the previous launched step's samples, and the engine learns it one step later from
/// <see cref="Collect"/>.
/// </summary>
public interface IOverlappedExecutor : IModelExecutor
{
    /// <summary>The token id a sequence holds for a sample that has not come back yet.</summary>
    const int Placeholder = -1;

    /// <summary>False when the backend was built to run each step synchronously (for comparisons).</summary>
    bool OverlapEnabled { get; }

    /// <summary>
    /// Starts <paramref name="plan"/> without waiting. Tokens equal to <see cref="Placeholder"/> (a sequence's last
    /// token, sampled by the previous launch) are taken from that launch's samples on the device.
    /// </summary>
    void Launch(StepPlan plan);

    /// <summary>Waits for the oldest launched step and writes its sampled ids in entry order.</summary>
    void Collect(Span<int> sampledTokenIds);
}
