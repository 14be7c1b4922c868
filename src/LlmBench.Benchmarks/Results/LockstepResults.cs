using LlmBench.Benchmarks.Health;
using LlmBench.Benchmarks.Lockstep;
using LlmBench.Benchmarks.Platform;
using LlmBench.Reports.Latency;
using LlmBench.Reports.Results;
using LlmBench.Reports.Statistics;
using LlmBench.Reports.Sweep;

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

    public static SweepResult Sweep(IReadOnlyList<SweepPoint> points, bool incomplete, SweepSlo slo, SweepTarget target, ResultConfiguration configuration) => new()
    {
        Date = PlatformProbe.Stamp(DateTimeOffset.Now),
        Model = PlatformProbe.Model(target.Description),
        Platform = PlatformProbe.Describe(target.Description, target.Gpu, configuration.LlmBenchVersion),
        Configuration = configuration,
        StartupSeconds = target.Description.StartupTime.TotalSeconds,
        Points = points,
        Choices = SweepChooser.Choose(points, slo),
        Incomplete = incomplete,
        Telemetry = target.Telemetry is { } telemetry ? GpuTimeSeriesBuilder.ForAll(telemetry) : null,
    };
}
