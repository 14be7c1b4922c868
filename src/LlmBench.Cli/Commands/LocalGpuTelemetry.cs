using System.Net;
using LlmBench.Telemetry;

namespace LlmBench.Cli;

/// <summary>
/// GPU health over a `bench serve` run when the server runs on this machine: a <see cref="GpuTelemetryWindow"/> at 10 Hz
/// over the run (warm-ups included). A remote server's GPUs are not ours to read, so nothing is sampled then;
/// a local machine without NVML (or without a GPU) gets one note and the benchmark runs on.
/// </summary>
internal static class LocalGpuTelemetry
{
    /// <summary>Starts sampling every GPU, or returns null (with a note on <paramref name="log"/> when the server is local but NVML is not there).</summary>
    public static GpuTelemetryWindow? TryStart(Uri serverBaseUrl, TextWriter log)
    {
        if (!IsLocal(serverBaseUrl))
            return null;
        var window = GpuTelemetryWindow.TryStart(null, out var problem);
        if (window is null)
            log.WriteLine($"note: no GPU telemetry for this run: {problem}.");
        return window;
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
}
