using LlmBench.Benchmarks.Floor;
using LlmBench.Benchmarks.Running;
using LlmBench.Benchmarks.Workloads;
using LlmBench.Reports.Offline;
using LlmBench.Reports.Results;

namespace LlmBench.Cli;

/// <summary>
/// A `run` from loaded engines to the frozen result: every engine is opened on its own thread first, then all start
/// together while telemetry samples and the live view refreshes; the window's figures are frozen per engine.
/// </summary>
internal sealed class RunSession
{
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
        using var telemetry = gpus.Length > 0 ? RunTelemetry.TryStart(gpus, out telemetryProblem) : null;
        if (_lanes.Any(l => l.Gpu is not null) && telemetry is null)
            Console.Error.WriteLine($"note: no GPU telemetry ({telemetryProblem ?? "NVML does not list these GPUs"}); health and energy are left out.");

        foreach (var lane in _lanes)
            lane.Worker.Go();
        var all = Task.WhenAll(_lanes.Select(l => l.Worker.Completion));
        await RunLiveView.ShowAsync(all, _lanes, telemetry, cancellationToken);
        var measurements = await all;
        telemetry?.Stop();

        var engines = _lanes.Select((lane, i) =>
        {
            var m = measurements[i];
            var health = lane.Gpu is { } gpu ? telemetry?.HealthFor(gpu, m.WindowStartUtc, m.WindowEndUtc) : null;
            var floor = lane.Gpu?.Bandwidth() is { } bandwidth
                ? DecodeFloor.For(lane.Engine!.Model.Config).ClosedLoop(m.CompletedInWindow, m.ConcurrencyTarget, m.OutputTokens, m.WindowSeconds, bandwidth.BytesPerSecond, bandwidth.Source)
                : null;
            return RunEngineResults.From(m, _loop, lane.Engine!.DeviceDescription, health, floor);
        }).ToArray();
        var first = _lanes[0];
        var engine = first.Engine!;
        return new RunResult
        {
            Date = PlatformProbe.Stamp(DateTimeOffset.Now),
            Model = PlatformProbe.Model(engine),
            Workload = new WorkloadInfo("standard",
                $"closed loop, {_loop.Concurrency} requests in flight per engine, input and output U[{StandardWorkload.MinLength}, {StandardWorkload.MaxLength}] tokens, ids in [0, {StandardWorkload.MaxTokenId}]",
                _loop.Temperature, _lanes.Sum(l => l.Fit.FoldedRequests), _lanes.Sum(l => l.Fit.ClippedRequests)),
            Platform = PlatformProbe.Describe(engine, first.Gpu, engine.FallbackReason is null ? null : $"no GPU engine: {engine.FallbackReason}"),
            Configuration = configuration with { EngineOptions = EngineOptionsDescription.Of(first.Spec, engine) },
            StartupSeconds = _lanes.Max(l => l.Engine!.StartupTime.TotalSeconds),
            RequestedDurationSeconds = requestedDurationSeconds,
            Engines = engines,
        };
    }
}
