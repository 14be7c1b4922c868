using LlmBench.Gpu;

namespace LlmBench.Telemetry;

/// <summary>
/// GPUs sampled over a window: started by <see cref="TryStart"/> (or on any sample source), read while it runs
/// (<see cref="Latest"/>), stopped, then summarized over the whole window or a part of it. Every command that samples
/// GPUs while it measures (`run`, `sweep`, `bench serve` against a local server) opens one; a machine without NVML
/// gets null and a one-line reason, never an exception.
/// </summary>
public sealed class GpuTelemetryWindow : IDisposable
{
    private readonly IGpuSampleSource _source;
    private readonly GpuSampler _sampler;
    private IReadOnlyList<GpuSample> _latest = [];

    /// <summary>Starts sampling <paramref name="source"/> at once; the window owns the source when it is disposable.</summary>
    public GpuTelemetryWindow(IGpuSampleSource source, TimeSpan? interval = null)
    {
        _source = source;
        _sampler = new GpuSampler(source, interval);
        _sampler.SamplesTaken += round => Volatile.Write(ref _latest, round);
        _sampler.Start();
    }

    /// <summary>The GPUs sampled, by NVML index, with their names.</summary>
    public IReadOnlyList<(int Index, string Name)> Gpus => _source.Gpus;

    /// <summary>The latest round, one sample per GPU (empty before the first).</summary>
    public IReadOnlyList<GpuSample> Latest => Volatile.Read(ref _latest);

    /// <summary>Every sample so far.</summary>
    public IReadOnlyList<GpuSample> Samples => _sampler.Snapshot();

    /// <summary>
    /// Starts sampling the GPUs of these NVML indices (all of them when null or empty), or returns null with
    /// <paramref name="problem"/> saying in one sentence why NVML cannot be used here.
    /// </summary>
    public static GpuTelemetryWindow? TryStart(IReadOnlyCollection<int>? nvmlIndices, out string? problem, TimeSpan? interval = null)
    {
        NvmlSampleSource source;
        try
        {
#pragma warning disable CA2000 // disposed below when unusable; otherwise the window owns it
            source = new NvmlSampleSource(nvmlIndices);
#pragma warning restore CA2000
        }
        catch (Exception ex) when (ex is GpuException or DllNotFoundException or ArgumentException)
        {
            // The resolver's list of every path it tried helps `llmbench gpu`, not a benchmark's one-line note.
            problem = ex.Message.Split(" Tried:", 2)[0].TrimEnd('.', ' ');
            return null;
        }

        if (source.Gpus.Count == 0)
        {
            source.Dispose();
            problem = "NVML lists no GPU";
            return null;
        }

        problem = null;
        return new GpuTelemetryWindow(source, interval);
    }

    /// <summary>Stops sampling; safe to call twice. The samples stay.</summary>
    public void Stop() => _sampler.Stop();

    /// <summary>Every GPU over the samples taken from <paramref name="startUtc"/> to <paramref name="endUtc"/> (the whole window by default).</summary>
    public TelemetrySummary Summary(DateTimeOffset? startUtc = null, DateTimeOffset? endUtc = null) =>
        TelemetrySummary.From(Between(startUtc, endUtc), _source.Gpus);

    /// <summary>The samples taken from <paramref name="startUtc"/> to <paramref name="endUtc"/>, both included.</summary>
    public IReadOnlyList<GpuSample> Between(DateTimeOffset? startUtc, DateTimeOffset? endUtc)
    {
        DateTimeOffset from = startUtc ?? DateTimeOffset.MinValue, to = endUtc ?? DateTimeOffset.MaxValue;
        return Samples.Where(s => s.Timestamp >= from && s.Timestamp <= to).ToArray();
    }

    /// <summary>NVML's UUID of GPU <paramref name="index"/>, or null where the source does not know it.</summary>
    public string? UuidOf(int index) => _source is NvmlSampleSource nvml ? nvml.UuidOf(index) : null;

    public void Dispose()
    {
        _sampler.Dispose();
        (_source as IDisposable)?.Dispose();
    }
}
