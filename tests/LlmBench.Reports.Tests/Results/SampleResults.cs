using LlmBench.Reports.Offline;
using LlmBench.Reports.Results;
using LlmBench.Reports.Statistics;
using LlmBench.Reports.Sweep;

namespace LlmBench.Reports.Tests.Results;

/// <summary>Small results with round numbers: a throughput run of 4 requests (400 output tokens in 2 s), a one-point sweep.</summary>
internal static class SampleResults
{
    public static readonly ResultConfiguration Configuration = new(
        ["llmbench", "throughput", "--model", "tiny", "--seed", "5"],
        new Dictionary<string, string> { ["max_num_seqs"] = "256", ["seed"] = "5" },
        5, "0123456789abcdef0123456789abcdef01234567", "0.1.0+test");

    public static ThroughputResult Throughput()
    {
        var ms = DistributionSummary.Compute([10.0, 20.0, 30.0, 40.0], LatencySummary.DefaultPercentiles);
        return new ThroughputResult
        {
            Date = "20250101-120000",
            Model = new ModelInfo("tiny", "tiny (test)", DummyWeights: true, Notice: null),
            Workload = new WorkloadInfo("random", "4 requests", 1.0f, 0, 0),
            Platform = new PlatformInfo("0.1.0+test", ".NET 10", "Linux", "CPU", 2, "cpu (2 cores)", false, null, null, null, null),
            Configuration = Configuration,
            StartupSeconds = 0.5,
            ElapsedSeconds = 2,
            Requests = 4,
            CompletedRequests = 4,
            PromptTokens = 100,
            OutputTokens = 400,
            Latency = new LatencySummary(ms, ms, ms),
            Activity = new EngineActivity(10, 0.5, 0.25, 4, 2, 0, 1),
            FloorNote = "not computed: CPU",
        };
    }

    /// <summary>A sweep of one ok point (batch 8, 128/128 tokens, 1,000 output tok/s) on a GPU.</summary>
    public static SweepResult Sweep()
    {
        SweepPoint point = new()
        {
            Backend = "llmbench", BatchSize = 8, InputLen = 128, OutputLen = 128, Status = SweepPointStatus.Ok,
            OutputThroughput = 1000, MeanTpotMs = 8, P99TpotMs = 9, MeanTtftMs = 20, P99TtftMs = 25,
        };
        return new SweepResult
        {
            Date = "20250101-120000",
            Model = new ModelInfo("tiny", "tiny (test)", DummyWeights: true, Notice: null),
            Platform = new PlatformInfo("0.1.0+test", ".NET 10", "Linux", "CPU", 2, "cuda:0", true, null, "NVIDIA H200", "570.00", "12.8"),
            Configuration = Configuration,
            StartupSeconds = 0.5,
            Points = [point],
            Choices = new SweepChoices(point, [point], null, SweepSlo.None),
        };
    }
}
