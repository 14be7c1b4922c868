using LlmBench.Benchmarks.Running;
using LlmBench.Reports.Offline;

namespace LlmBench.Benchmarks.Results;

/// <summary>
/// `throughput --gpus`: the same workload on each GPU at once, one result per GPU, combined into the record that is saved.
/// Its totals sum every GPU's requests and tokens over the longest GPU's elapsed time (the wall time the machine took);
/// latencies pool every GPU's requests; the floor is per GPU only (each keeps its own); <see cref="GpuAgreement"/> says
/// whether the GPUs agree.
/// </summary>
public static class ThroughputAcrossGpus
{
    public static ThroughputResult Combine(IReadOnlyList<ThroughputResult> perGpu, IReadOnlyList<OfflineMeasurement> measurements)
    {
        if (perGpu.Count < 2 || perGpu.Count != measurements.Count)
            throw new ArgumentException("Combining needs one result and one measurement per GPU, at least two GPUs.", nameof(measurements));
        var first = perGpu[0];
        var devices = perGpu.Select(r => r.Platform.Device).ToArray();
        return first with
        {
            Platform = first.Platform with { Device = string.Join(" + ", devices) },
            Workload = first.Workload with { Description = $"{first.Workload.Description}, on each of {perGpu.Count} GPUs at once" },
            StartupSeconds = perGpu.Max(r => r.StartupSeconds),
            ElapsedSeconds = perGpu.Max(r => r.ElapsedSeconds),
            Requests = perGpu.Sum(r => r.Requests),
            CompletedRequests = perGpu.Sum(r => r.CompletedRequests),
            PromptTokens = perGpu.Sum(r => r.PromptTokens),
            OutputTokens = perGpu.Sum(r => r.OutputTokens),
            Latency = Latencies.Summarize(measurements.SelectMany(m => m.Outcomes)),
            Activity = Activity(perGpu.Select(r => r.Activity).ToArray()),
            Floor = null,
            FloorNote = "per GPU only: each GPU's own fraction of its floor is in its entry",
            Incomplete = perGpu.Any(r => r.Incomplete),
            PerGpu = perGpu,
            Agreement = GpuAgreement.From(devices, perGpu.Select(r => r.OutputTokensPerSecond).ToArray()),
        };
    }

    private static EngineActivity Activity(EngineActivity[] a) => new(
        a.Sum(x => x.Steps),
        a.Max(x => x.PeakKvCacheUsage),
        a.Average(x => x.MeanKvCacheUsage),
        a.Max(x => x.MaxRunningRequests),
        a.Average(x => x.MeanRunningRequests),
        a.Max(x => x.MaxWaitingRequests),
        a.Sum(x => x.Preemptions));
}
