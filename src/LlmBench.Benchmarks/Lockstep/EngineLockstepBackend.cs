using LlmBench.Benchmarks.Running;
using LlmBench.Benchmarks.Workloads;
using LlmBench.Engine;
using LlmBench.Engine.Api;

namespace LlmBench.Benchmarks.Lockstep;

/// <summary>llmbench's own engine as a lockstep backend: the batch goes through <see cref="LockstepBatch"/>. It does not own the engine.</summary>
/// <param name="name">"llmbench", or "llmbench-eager" with --enforce-eager.</param>
public sealed class EngineLockstepBackend(IInferenceEngine engine, string name, IBenchmarkClock clock) : ILockstepBackend
{
    private readonly LockstepBatch _batch = new(engine, int.MaxValue, clock);

    public string Name => name;

    public int? KvBlocks => (engine as LlmEngine)?.Options.NumKvBlocks;

    public string? DoesNotFit(SweepShape shape) => SweepGrid.DoesNotFit(shape, engine);

    public BackendPreparation Prepare(int batch, int maxSequenceLength, CancellationToken cancellationToken) => BackendPreparation.None;

    public LockstepMeasurement Run(IReadOnlyList<WorkloadRequest> requests, ulong seed, CancellationToken cancellationToken) =>
        _batch.Run(requests, seed, cancellationToken);

    /// <summary>Aborts what a failed batch left behind ("req-0" … as the runner names them) and steps until the engine is idle; false when it cannot be.</summary>
    public bool Recover(int batch)
    {
        try
        {
            for (int i = 0; i < batch; i++)
                engine.Abort($"req-{i}");
            for (int steps = 0; engine.HasUnfinishedRequests; steps++)
            {
                if (steps > 10_000)
                    return false;
                engine.Step();
            }

            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
    }
}
