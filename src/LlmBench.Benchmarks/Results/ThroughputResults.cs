using LlmBench.Benchmarks.Floor;
using LlmBench.Benchmarks.Platform;
using LlmBench.Benchmarks.Running;
using LlmBench.Benchmarks.Workloads;
using LlmBench.Engine.Models;
using LlmBench.Reports.Offline;
using LlmBench.Reports.Results;

namespace LlmBench.Benchmarks.Results;

/// <summary>Freezes a throughput measurement with its model, workload, platform and floor into the result record.</summary>
public static class ThroughputResults
{
    public static ThroughputResult Build(string workloadName, float temperature, IReadOnlyList<WorkloadRequest> requests, WorkloadFit fit,
        OfflineMeasurement m, EngineUnderTest engine, ResultConfiguration configuration)
    {
        var gpu = GpuIdentity.Of(engine);
        var (floor, floorNote) = OfflineFloor(engine.Model.Config, gpu, requests, m.OutputTokens, m.ElapsedSeconds, engine.KvBytesPerElement, engine.Fp8LayerWeights);
        return new ThroughputResult
        {
            Date = PlatformProbe.Stamp(DateTimeOffset.Now),
            Model = PlatformProbe.Model(engine),
            Workload = new WorkloadInfo(workloadName, Describe(requests), temperature, fit.FoldedRequests, fit.ClippedRequests),
            Platform = PlatformProbe.Describe(engine, gpu, configuration.LlmBenchVersion),
            Configuration = configuration,
            StartupSeconds = engine.StartupTime.TotalSeconds,
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

    /// <summary>
    /// The memory-bandwidth floor of an offline batch on <paramref name="gpu"/> (null on the CPU), with a note that names
    /// the bandwidth's source or says why there is no floor.
    /// </summary>
    public static (FloorEstimate? Floor, string Note) OfflineFloor(ModelConfig model, GpuIdentity? gpu, IReadOnlyList<WorkloadRequest> requests,
        long outputTokens, double elapsedSeconds, int kvBytesPerElement, bool fp8LayerWeights = false)
    {
        if (gpu?.Bandwidth() is { } bandwidth)
            return (DecodeFloor.For(model, kvBytesPerElement, fp8LayerWeights).Estimate(requests, outputTokens, elapsedSeconds, bandwidth.BytesPerSecond, bandwidth.Source), $"bandwidth {bandwidth.Source}");
        return (null, gpu is null
            ? "not computed: the run was on the CPU, and the floor is defined by a GPU's memory bandwidth"
            : "not computed: this GPU's bandwidth is unknown; run `llmbench peak` first");
    }

    private static string Describe(IReadOnlyList<WorkloadRequest> requests) =>
        $"{requests.Count} requests, Σ prompt {requests.Sum(r => (long)r.PromptIds.Length)}, Σ output {requests.Sum(r => (long)r.OutputTokens)} tokens";
}
