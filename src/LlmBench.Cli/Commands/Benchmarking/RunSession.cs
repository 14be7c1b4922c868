using LlmBench.Benchmarks.Results;
using LlmBench.Benchmarks.Running;
using LlmBench.Reports.Offline;
using LlmBench.Reports.Results;
using LlmBench.Telemetry;

namespace LlmBench.Cli;

/// <summary>
/// A `run` from loaded engines to the frozen result: every engine is opened on its own thread first, then all start
/// together while telemetry samples and the live view refreshes; the result is frozen by <see cref="RunResults"/>.
/// </summary>
internal sealed class RunSession
{
    /// <summary>NVML sampling period of a run: the live view's refresh, and plenty for a window's health.</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private readonly RunLane[] _lanes;
    private readonly ClosedLoopOptions _loop;

    private RunSession(RunLane[] lanes, ClosedLoopOptions loop)
    {
        _lanes = lanes;
        _loop = loop;
    }

    public static async Task<RunSession> OpenAsync(IReadOnlyList<EngineSpec> specs, ClosedLoopOptions loop, CancellationToken cancellationToken)
    {
        var lanes = specs.Select((spec, i) => new RunLane(spec, loop, i, cancellationToken)).ToArray();
        try
        {
            await Task.WhenAll(lanes.Select(l => l.OpenAsync()));
        }
        catch
        {
            foreach (var lane in lanes)
                lane.Worker.Abandon();
            throw;
        }

        BenchmarkConsole.Announce(lanes[0].Engine!);
        foreach (var lane in lanes.Skip(1))
            Console.Error.WriteLine($"device: {lane.Engine!.DeviceDescription}; start-up {lane.Engine.StartupTime.TotalSeconds:0.0} s");
        return new RunSession(lanes, loop);
    }

    public async Task<RunResult> RunAsync(double requestedDurationSeconds, ResultConfiguration configuration, CancellationToken cancellationToken)
    {
        var gpus = _lanes.Where(l => l.Gpu?.NvmlIndex is not null).Select(l => l.Gpu!.NvmlIndex!.Value).ToArray();
        string? telemetryProblem = null;
        using var telemetry = gpus.Length > 0 ? GpuTelemetryWindow.TryStart(gpus, out telemetryProblem, Interval) : null;
        if (_lanes.Any(l => l.Gpu is not null) && telemetry is null)
            Console.Error.WriteLine($"note: no GPU telemetry ({telemetryProblem ?? "NVML does not list these GPUs"}); health and energy are left out.");

        foreach (var lane in _lanes)
            lane.Worker.Go();
        var all = Task.WhenAll(_lanes.Select(l => l.Worker.Completion));
        await RunLiveView.ShowAsync(all, _lanes, telemetry, cancellationToken);
        var measurements = await all;
        telemetry?.Stop();

        var first = _lanes[0];
        var outcomes = _lanes.Select((lane, i) => new RunLaneOutcome(lane.Engine!.UnderTest, lane.Gpu, lane.Fit, measurements[i])).ToArray();
        return RunResults.Build(outcomes, _loop, telemetry, requestedDurationSeconds,
            configuration with { EngineOptions = EngineOptionsDescription.Of(first.Spec, first.Engine!) });
    }
}
