using LlmBench.Benchmarks.Health;
using LlmBench.Benchmarks.Lockstep;
using LlmBench.Benchmarks.Platform;
using LlmBench.Reports.Latency;
using LlmBench.Reports.Results;
using LlmBench.Reports.Statistics;
using LlmBench.Reports.Sweep;
using LlmBench.Telemetry;

namespace LlmBench.Benchmarks.Results;

/// <summary>Freezes `latency` and `sweep` measurements with their model, platform and configuration into result records.</summary>
public static class LockstepResults
{
    public static LatencyResult Latency(int batch, int input, int output, int warmups, IReadOnlyList<LockstepMeasurement> iterations, bool incomplete,
        EngineUnderTest engine, ResultConfiguration configuration)
    {
        var p = LatencyResult.Percentiles;
        return new LatencyResult
        {
            Date = PlatformProbe.Stamp(DateTimeOffset.Now),
            Model = PlatformProbe.Model(engine),
            Platform = PlatformProbe.Describe(engine, GpuIdentity.Of(engine), configuration.LlmBenchVersion),
            Configuration = configuration,
            StartupSeconds = engine.StartupTime.TotalSeconds,
            BatchSize = batch,
            InputLen = input,
            OutputLen = output,
            WarmupIterations = warmups,
            Iterations = iterations.Count,
            LatenciesSeconds = iterations.Select(m => m.ElapsedSeconds).ToArray(),
            LatencySeconds = DistributionSummary.Compute(iterations.Select(m => m.ElapsedSeconds), p),
            TtftMs = DistributionSummary.Compute(iterations.Select(m => m.PrefillSeconds * 1000), p),
            TpotMs = DistributionSummary.Compute(iterations.Select(m => m.DecodeStepMs), p),
            Incomplete = incomplete,
        };
    }

    /// <param name="description">The first backend's model and device, for the model and platform sections.</param>
    /// <param name="backends">Every backend in the order it ran.</param>
    /// <param name="telemetry">The GPUs sampled over the whole sweep, for the result's time series; null without NVML.</param>
    public static SweepResult Sweep(IReadOnlyList<SweepPoint> points, bool incomplete, SweepSlo slo, EngineUnderTest description, GpuIdentity? gpu,
        IReadOnlyList<SweepBackend> backends, ResultConfiguration configuration, GpuTelemetryWindow? telemetry = null)
    {
        var withRatios = WithLlmbenchRatios(points);
        return new SweepResult
        {
            Date = PlatformProbe.Stamp(DateTimeOffset.Now),
            Model = PlatformProbe.Model(description),
            Platform = PlatformProbe.Describe(description, gpu, configuration.LlmBenchVersion),
            Configuration = configuration,
            StartupSeconds = description.StartupTime.TotalSeconds,
            Points = withRatios,
            Choices = SweepChooser.Choose(withRatios, slo),
            Backends = backends,
            Incomplete = incomplete,
            Telemetry = telemetry is null ? null : GpuTimeSeriesBuilder.ForAll(telemetry),
        };
    }

    /// <summary>Each other backend's measured point gets llmbench's output tok/s at the same batch and lengths over its own.</summary>
    public static IReadOnlyList<SweepPoint> WithLlmbenchRatios(IReadOnlyList<SweepPoint> points)
    {
        var llmbench = points.Where(p => p.Backend == "llmbench" && p.Status == SweepPointStatus.Ok && p.OutputThroughput > 0)
            .ToDictionary(p => (p.BatchSize, p.InputLen, p.InputLenMax, p.OutputLen), p => p.OutputThroughput!.Value);
        return points.Select(p => p.Backend != "llmbench" && p.Status == SweepPointStatus.Ok && p.OutputThroughput > 0
                && llmbench.TryGetValue((p.BatchSize, p.InputLen, p.InputLenMax, p.OutputLen), out var ours)
            ? p with { LlmbenchRatio = ours / p.OutputThroughput!.Value }
            : p).ToArray();
    }
}
