using LlmBench.Benchmarks.Platform;
using LlmBench.Engine.Cuda.Profiling;
using LlmBench.Engine.Loading;
using LlmBench.Reports.Offline;
using LlmBench.Reports.Profiling;
using LlmBench.Reports.Results;

namespace LlmBench.Cli;

/// <summary>The CUDA profiler's run as the frozen result the exporters render.</summary>
internal static class ProfileResults
{
    public static ProfileResult Build(ProfileRun run, LoadedModel model, GpuIdentity gpu, ResultConfiguration configuration)
    {
        var underTest = new EngineUnderTest(model, run.Device, gpu.CudaOrdinal, null, TimeSpan.Zero);
        double? peak = gpu.Bandwidth() is { Source: var source } bandwidth && source.StartsWith("measured", StringComparison.Ordinal) ? bandwidth.BytesPerSecond : null;
        return new ProfileResult
        {
            Date = PlatformProbe.Stamp(DateTimeOffset.Now),
            Model = PlatformProbe.Model(underTest),
            Platform = PlatformProbe.Describe(underTest, gpu, CliApp.VersionText),
            Configuration = configuration,
            BatchSize = run.Request.BatchSize,
            InputLen = run.Request.InputLen,
            OutputLen = run.Request.OutputLen,
            DecodeContext = run.DecodeContext,
            Method = ProfileRun.Method,
            PeakBandwidthBytesPerSecond = peak,
            Graphs = run.Graphs,
            DecodeStepGpuMs = run.DecodeStepGpuMs,
            DecodeStepHostMs = run.DecodeStepWallMs,
            TimedSteps = run.TimedSteps,
            Prefill = Step($"prefill step ({run.Prefill.PrefillTokens} prompt tokens)", run.Prefill, peak),
            Decode = Step($"decode step (batch {run.Decode.DecodeSequences}, context {run.DecodeContext})", run.Decode, peak),
            DecodeTrace = run.Trace is { } t
                ? new ProfiledTrace(DecodeTrace.MethodFor(run.Graphs), t.Steps, t.LaunchesPerStep, t.SpanMicroseconds, t.BusyMicroseconds, t.IdleShare, t.Dropped,
                    [.. t.Kernels.Select(k => new ProfiledKernel(k.Name, k.LaunchesPerStep, k.MicrosecondsPerStep, k.Share))])
                : null,
            DecodeTraceNote = run.TraceNote,
        };
    }

    private static ProfiledStep Step(string name, StepProfile profile, double? peak) => new(
        name, profile.Tokens, profile.DecodeSequences, profile.PrefillTokens, profile.Calls.Count, profile.KernelMilliseconds, profile.Bytes,
        RoleSummary.Of(profile).Select(r => new ProfiledRole(r.Role.Name(), r.Family, r.Calls, r.Milliseconds * 1e3, r.Share, r.Bytes,
            r.AchievedBytesPerSecond, peak is { } p && p > 0 ? r.AchievedBytesPerSecond / p : null)).ToArray());
}
