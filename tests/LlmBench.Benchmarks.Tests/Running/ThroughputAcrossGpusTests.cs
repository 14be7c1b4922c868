using LlmBench.Benchmarks.Results;
using LlmBench.Benchmarks.Running;
using LlmBench.Reports.Offline;
using LlmBench.Reports.Results;
using LlmBench.Reports.Statistics;

namespace LlmBench.Benchmarks.Tests.Running;

/// <summary>`throughput --gpus`: each GPU's result combined into the saved one.</summary>
public class ThroughputAcrossGpusTests
{
    private static OfflineMeasurement Measurement(double elapsed, double ttft) =>
        new(elapsed, 4, Enumerable.Range(0, 4).Select(i => new RequestOutcome($"r{i}", 25, 100, 0, ttft, elapsed, false)).ToArray(),
            new EngineActivity(10, 0.5, 0.25, 4, 2, 0, 1), Incomplete: false);

    private static ThroughputResult Result(string device, OfflineMeasurement m)
    {
        var ms = DistributionSummary.Compute([1.0], LatencySummary.DefaultPercentiles);
        return new ThroughputResult
        {
            Date = "20260101-120000",
            Model = new ModelInfo("tiny", "tiny (test)", DummyWeights: true, Notice: null),
            Workload = new WorkloadInfo("random", "4 requests", 1.0f, 0, 0),
            Platform = new PlatformInfo("0.1.0+test", ".NET 10", "Linux", "CPU", 2, device, true, null, "NVIDIA H100", "570.00", "12.8"),
            Configuration = new ResultConfiguration(["llmbench", "throughput", "--gpus", "all"], new Dictionary<string, string>(), 0, "unknown", "0.1.0+test"),
            StartupSeconds = device.EndsWith('0') ? 3 : 4,
            ElapsedSeconds = m.ElapsedSeconds,
            Requests = m.Requests,
            CompletedRequests = m.Completed,
            PromptTokens = m.PromptTokens,
            OutputTokens = m.OutputTokens,
            Latency = new LatencySummary(ms, ms, ms),
            Activity = m.Activity,
            FloorNote = "bandwidth measured",
        };
    }

    [Fact]
    public void Totals_sum_the_gpus_over_the_longest_elapsed_time_and_latencies_pool_every_request()
    {
        OfflineMeasurement[] measurements = [Measurement(1.0, 0.1), Measurement(1.25, 0.3)];
        var perGpu = new[] { Result("cuda:0", measurements[0]), Result("cuda:1", measurements[1]) };

        var combined = ThroughputAcrossGpus.Combine(perGpu, measurements);

        Assert.Equal(8, combined.Requests);
        Assert.Equal(800, combined.OutputTokens);
        Assert.Equal(1.25, combined.ElapsedSeconds);
        Assert.Equal(640, combined.OutputTokensPerSecond);
        Assert.Equal(4, combined.StartupSeconds);
        Assert.Equal(200, combined.Latency.TtftMs.Median, 6); // four requests at 100 ms, four at 300 ms
        Assert.Equal(2, combined.Activity.Preemptions);
        Assert.Equal("cuda:0 + cuda:1", combined.Platform.Device);
        Assert.Null(combined.Floor);
        Assert.Same(perGpu[1], combined.PerGpu![1]);
        Assert.Equal(1, combined.Agreement!.SlowIndex); // 320 tok/s against 400: 11 % below their mean
    }
}
