using System.Net;
using LlmBench.Benchmarks.Health;
using LlmBench.Gpu;
using LlmBench.Reports.Offline;
using LlmBench.Telemetry;

namespace LlmBench.Cli;

/// <summary>
/// GPU health over a `bench serve` run when the server runs on this machine: NVML sampled at 10 Hz over the run
/// (warm-ups included). A remote server's GPUs are not ours to read, so nothing is sampled then;
/// a local machine without NVML (or without a GPU) gets one note and the benchmark runs on.
/// </summary>
internal sealed class LocalGpuTelemetry : IDisposable
{
    private readonly NvmlSampleSource _source;
    private readonly GpuSampler _sampler;

    private LocalGpuTelemetry(NvmlSampleSource source)
    {
        _source = source;
        _sampler = new GpuSampler(source);
        _sampler.Start();
    }

    /// <summary>Starts sampling, or returns null (with a note on <paramref name="log"/> when the server is local but NVML is not there).</summary>
    public static LocalGpuTelemetry? TryStart(Uri serverBaseUrl, TextWriter log)
    {
        if (!IsLocal(serverBaseUrl))
            return null;
        NvmlSampleSource source;
        try
        {
            source = new NvmlSampleSource();
        }
        catch (Exception ex) when (ex is GpuException or DllNotFoundException)
        {
            // The resolver's list of every path it tried helps `llmbench gpu`, not a benchmark's one-line note.
            var reason = ex.Message.Split(" Tried:", 2)[0].TrimEnd('.', ' ');
            log.WriteLine($"note: no GPU telemetry for this run: {reason}.");
            return null;
        }

        if (source.Gpus.Count == 0)
        {
            source.Dispose();
            log.WriteLine("note: no GPU telemetry for this run: NVML lists no GPU.");
            return null;
        }

        return new LocalGpuTelemetry(source);
    }

    /// <summary>Loopback, "localhost", or this machine's own name: the server's GPUs are the ones NVML sees here.</summary>
    public static bool IsLocal(Uri serverBaseUrl)
    {
        var host = serverBaseUrl.IdnHost.Trim('[', ']');
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || string.Equals(host, Dns.GetHostName(), StringComparison.OrdinalIgnoreCase))
            return true;
        return IPAddress.TryParse(host, out var address) && (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any));
    }

    /// <summary>
    /// Stops sampling and summarizes the whole run: the summary for the printed table, and each GPU's health
    /// (the shape `llmbench run` saves, with its UUID) for the result JSON.
    /// </summary>
    public (TelemetrySummary Summary, IReadOnlyList<GpuHealth> Health) Stop()
    {
        _sampler.Stop();
        var samples = _sampler.Snapshot();
        var health = _source.Gpus
            .Select(g => GpuHealthBuilder.For(g.Index, g.Name, samples, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, _source.UuidOf(g.Index)))
            .ToArray();
        return (TelemetrySummary.From(samples, _source.Gpus), health);
    }

    public void Dispose()
    {
        _sampler.Stop();
        _sampler.Dispose();
        _source.Dispose();
    }
}
