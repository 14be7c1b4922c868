using LlmBench.Benchmarks.Platform;
using LlmBench.Benchmarks.Running;
using LlmBench.Benchmarks.Workloads;

namespace LlmBench.Cli;

/// <summary>One engine of a `run` (one per GPU with --gpus): its thread, its runner for the live view, its GPU.</summary>
internal sealed class RunLane
{
    private ClosedLoopRunner? _runner;
    private WorkloadFit? _fit;

    public RunLane(EngineSpec spec, ClosedLoopOptions loop, int index, CancellationToken cancellationToken)
    {
        Spec = spec;
        Worker = new EngineWorker<ClosedLoopMeasurement>($"llmbench-run-{index}", spec, opened => Run(opened, loop, cancellationToken));
    }

    public EngineSpec Spec { get; }

    public EngineWorker<ClosedLoopMeasurement> Worker { get; }

    /// <summary>Set once the engine is open (after <see cref="EngineWorker{T}.Opened"/>).</summary>
    public OpenedEngine? Engine { get; private set; }

    public GpuIdentity? Gpu { get; private set; }

    public WorkloadFit Fit => _fit ?? throw new InvalidOperationException("the lane is not open yet");

    public LiveStatus Status => Volatile.Read(ref _runner)?.Status ?? LiveStatus.Starting;

    public async Task OpenAsync()
    {
        Engine = await Worker.Opened;
        _fit = new WorkloadFit(Engine.Model.Config.VocabSize, Engine.Engine.MaxModelLength);
        Gpu = GpuIdentity.Of(Engine.UnderTest);
    }

    private ClosedLoopMeasurement Run(OpenedEngine opened, ClosedLoopOptions loop, CancellationToken cancellationToken)
    {
        var workload = new StandardWorkload(loop.Seed, loop.InputLengths, loop.OutputLengths);
        var fit = Fit;
        var runner = new ClosedLoopRunner(opened.Engine, new StopwatchClock(), loop);
        Volatile.Write(ref _runner, runner);
        return runner.Run(() => fit.Apply(workload.Next()), cancellationToken);
    }
}
