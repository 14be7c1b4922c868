using LlmBench.Benchmarks.Floor;
using LlmBench.Benchmarks.Running;
using LlmBench.Benchmarks.Workloads;
using LlmBench.Reports.Offline;
using LlmBench.Reports.Results;

namespace LlmBench.Cli;

/// <summary>Freezes a throughput measurement with its model, workload, platform and floor into the result record.</summary>
internal static class ThroughputResults
{
    public static ThroughputResult Build(string workloadName, float temperature, IReadOnlyList<WorkloadRequest> requests, WorkloadFit fit,
        OfflineMeasurement m, OpenedEngine opened, int? gpuOrdinal, ResultConfiguration configuration)
    {
        var gpu = gpuOrdinal is { } ordinal ? GpuIdentity.Find(ordinal) : null;
        FloorEstimate? floor = null;
        string? floorNote;
        if (gpu?.Bandwidth() is { } bandwidth)
        {
            floor = DecodeFloor.For(opened.Model.Config).Estimate(requests, m.OutputTokens, m.ElapsedSeconds, bandwidth.BytesPerSecond, bandwidth.Source);
            floorNote = $"bandwidth {bandwidth.Source}";
        }
        else
        {
            floorNote = gpu is null
                ? "not computed: the run was on the CPU, and the floor is defined by a GPU's memory bandwidth"
                : "not computed: this GPU's bandwidth is unknown; run `llmbench peak` first";
        }

        return new ThroughputResult
        {
            Date = PlatformProbe.Stamp(DateTimeOffset.Now),
            Model = PlatformProbe.Model(opened),
            Workload = new WorkloadInfo(workloadName, Describe(requests), temperature, fit.FoldedRequests, fit.ClippedRequests),
            Platform = PlatformProbe.Describe(opened, gpu, opened.FallbackReason is null ? null : $"no GPU engine: {opened.FallbackReason}"),
            Configuration = configuration,
            StartupSeconds = opened.StartupTime.TotalSeconds,
            ElapsedSeconds = m.ElapsedSeconds,
            Requests = m.Requests,
            CompletedRequests = m.Completed,
            PromptTokens = m.PromptTokens,
            OutputTokens = m.OutputTokens,
            Latency = m.Latency,
            Activity = m.Activity,
            Floor = floor,
            FloorNote = floorNote,
            Incomplete = m.Incomplete,
        };
    }

    private static string Describe(IReadOnlyList<WorkloadRequest> requests) =>
        $"{requests.Count} requests, Σ prompt {requests.Sum(r => (long)r.PromptIds.Length)}, Σ output {requests.Sum(r => (long)r.OutputTokens)} tokens";
}
