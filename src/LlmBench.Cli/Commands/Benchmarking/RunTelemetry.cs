using LlmBench.Benchmarks.Health;
using LlmBench.Gpu.Monitoring;
using LlmBench.Reports.Offline;
using LlmBench.Telemetry;

namespace LlmBench.Cli;

/// <summary>NVML sampling of the GPUs a `run` uses, for the live view (latest round) and the window's health.</summary>
internal sealed class RunTelemetry : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private readonly NvmlSampleSource _source;
    private readonly GpuSampler _sampler;
    private IReadOnlyList<GpuSample> _latest = [];

    private RunTelemetry(NvmlSampleSource source)
    {
        _source = source;
        _sampler = new GpuSampler(source, Interval);
        _sampler.SamplesTaken += round => Volatile.Write(ref _latest, round);
        _sampler.Start();
    }

    public IReadOnlyList<GpuSample> Latest => Volatile.Read(ref _latest);

    /// <summary>Starts sampling these NVML indices, or returns null (with the reason) when NVML cannot be used.</summary>
    public static RunTelemetry? TryStart(IReadOnlyCollection<int> nvmlIndices, out string? problem)
    {
        using var probe = NvmlSession.TryOpen(out problem);
        if (probe is null || nvmlIndices.Count == 0)
        {
            problem ??= "the GPUs were not found in NVML";
            return null;
        }

        return new RunTelemetry(new NvmlSampleSource(nvmlIndices));
    }

    public void Stop() => _sampler.Stop();

    public GpuHealth? HealthFor(GpuIdentity gpu, DateTimeOffset startUtc, DateTimeOffset endUtc) =>
        gpu.NvmlIndex is { } index ? GpuHealthBuilder.For(index, gpu.Name, _sampler.Snapshot(), startUtc, endUtc, gpu.Uuid) : null;

    public void Dispose()
    {
        _sampler.Dispose();
        _source.Dispose();
    }
}
