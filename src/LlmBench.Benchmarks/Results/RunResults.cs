using LlmBench.Benchmarks.Floor;
using LlmBench.Benchmarks.Health;
using LlmBench.Benchmarks.Platform;
using LlmBench.Benchmarks.Running;
using LlmBench.Benchmarks.Workloads;
using LlmBench.Reports.Offline;
using LlmBench.Reports.Results;
using LlmBench.Telemetry;

namespace LlmBench.Benchmarks.Results;

/// <summary>One engine of a `run` once it finished: what ran, on which GPU, how its workload was fitted, and what it measured.</summary>
public sealed record RunLaneOutcome(EngineUnderTest Engine, GpuIdentity? Gpu, WorkloadFit Fit, ClosedLoopMeasurement Measurement);

/// <summary>Freezes a `run` (one or more engines measured at once, and the GPUs sampled meanwhile) into the result record.</summary>
public static class RunResults
{
    /// <param name="configuration">The command's configuration, with the first engine's options.</param>
    public static RunResult Build(IReadOnlyList<RunLaneOutcome> lanes, ClosedLoopOptions loop, GpuTelemetryWindow? telemetry,
        double requestedDurationSeconds, ResultConfiguration configuration)
    {
        var engines = lanes.Select(lane =>
        {
            var m = lane.Measurement;
            var health = lane.Gpu is { } gpu && telemetry is not null ? GpuHealthBuilder.For(telemetry, gpu, m.WindowStartUtc, m.WindowEndUtc) : null;
            var floor = lane.Gpu?.Bandwidth() is { } bandwidth
                ? DecodeFloor.For(lane.Engine.Model.Config, lane.Engine.KvBytesPerElement, lane.Engine.Fp8LayerWeights).ClosedLoop(m.CompletedInWindow, m.ConcurrencyTarget, m.OutputTokens, m.WindowSeconds, bandwidth.BytesPerSecond, bandwidth.Source)
                : null;
            return RunEngineResults.From(m, loop, lane.Engine.DeviceDescription, health, floor);
        }).ToArray();
        var first = lanes[0];
        return new RunResult
        {
            Date = PlatformProbe.Stamp(DateTimeOffset.Now),
            Model = PlatformProbe.Model(first.Engine),
            Workload = new WorkloadInfo(loop.IsStandardWorkload ? "standard" : "standard, other lengths",
                $"closed loop, {loop.Concurrency} requests in flight per engine, {Lengths(loop)} tokens, ids in [0, {StandardWorkload.MaxTokenId}]",
                loop.Temperature, lanes.Sum(l => l.Fit.FoldedRequests), lanes.Sum(l => l.Fit.ClippedRequests)),
            Platform = PlatformProbe.Describe(first.Engine, first.Gpu, configuration.LlmBenchVersion),
            Configuration = configuration,
            StartupSeconds = lanes.Max(l => l.Engine.StartupTime.TotalSeconds),
            RequestedDurationSeconds = requestedDurationSeconds,
            Engines = engines,
            Telemetry = telemetry is null ? null : GpuTimeSeriesBuilder.ForAll(telemetry),
        };
    }

    private static string Lengths(ClosedLoopOptions loop) =>
        loop.IsStandardWorkload ? $"input and output {LengthRange.Standard}" : $"input {loop.InputLengths} and output {loop.OutputLengths}";
}
