using LlmBench.Reports.Offline;
using LlmBench.Reports.Results;
using LlmBench.Reports.Serving;

namespace LlmBench.Reports.Tests.Serving;

/// <summary>Hand-made records whose aggregates are worked out in the tests' comments.</summary>
internal static class SampleRuns
{
    /// <summary>
    /// Three successful requests and one failure:
    /// #0 sent at 0 s, TTFT 100, chunks at +10 and +30 ms (E2EL 140), 3 tokens → TPOT 20;
    /// #1 sent at 0.05 s, TTFT 200, one chunk, 1 token → no TPOT, E2EL 200;
    /// #2 sent at 0.5 s, TTFT 50, gaps 20, 20, 20 (E2EL 110), 4 tokens → TPOT 20;
    /// #3 failed at 0.1 s.
    /// </summary>
    public static IReadOnlyList<RequestRecord> FourRequests() =>
    [
        new() { Index = 0, Success = true, PromptTokens = 10, OutputTokens = 3, StartSeconds = 0, TtftMs = 100, E2elMs = 140, ItlMs = [10, 30] },
        new() { Index = 1, Success = true, PromptTokens = 20, OutputTokens = 1, StartSeconds = 0.05, TtftMs = 200, E2elMs = 200, ItlMs = [] },
        new() { Index = 2, Success = true, PromptTokens = 30, OutputTokens = 4, StartSeconds = 0.5, TtftMs = 50, E2elMs = 110, ItlMs = [20, 20, 20], ClientQueueMs = 5 },
        new() { Index = 3, Success = false, PromptTokens = 40, StartSeconds = 0.1, Error = "HTTP 503: overloaded" },
    ];

    /// <summary>A configuration as the CLI makes one.</summary>
    public static readonly ResultConfiguration Configuration = new(
        ["llmbench", "bench", "serve", "--model", "Qwen/Qwen3-0.6B", "--seed", "7"], new Dictionary<string, string>(), 7, "0123456789abcdef0123456789abcdef01234567", "0.1.0+test");

    public static ServingResult Result(double requestRate = double.PositiveInfinity, int? maxConcurrency = 2, GoodputSlo? goodput = null)
    {
        var info = new ServingRunInfo
        {
            Date = "20250101-120000",
            Backend = "openai",
            ModelId = "Qwen/Qwen3-0.6B",
            TokenizerId = "Qwen/Qwen3-0.6B",
            NumPrompts = 4,
            RequestRate = requestRate,
            MaxConcurrency = maxConcurrency,
            DatasetName = "random",
            ApiUrl = "http://127.0.0.1:8000/v1/completions",
            Metadata = [new("gpu", "H100"), new("run", "7")],
            PercentileMetrics = ["ttft", "tpot", "itl", "e2el"],
            Percentiles = [50, 99],
            Goodput = goodput ?? GoodputSlo.None,
        };
        var records = FourRequests();
        var metrics = ServingMetrics.Compute(records, 2.0, info.Percentiles, info.Goodput);
        var client = new ClientHealth(0.012, 0.25, 0.5, 0.31, 2, []);
        return new ServingResult(info, metrics, records, client) { Configuration = Configuration };
    }

    /// <summary>
    /// Two GPUs over a 20 s run sampled at 10 Hz (201 samples each): GPU 0 read its energy counter (48 J), GPU 1
    /// had none, so its 16 J are integrated power. With <see cref="FourRequests"/>' 8 output tokens: 6 and 2 J per
    /// token, 8 J per token together.
    /// </summary>
    public static IReadOnlyList<GpuHealth> TwoGpus() =>
    [
        new(0, "NVIDIA H100 80GB HBM3", "GPU-0b7a3c1e-0000-4000-8000-000000000000", 201, 20.0,
            MeanTemperatureC: 61.5, MaxTemperatureC: 68, MeanPowerWatts: 412.25, MaxPowerWatts: 698.7,
            MeanSmClockMHz: 1877.6, MinSmClockMHz: 1755, MeanMemoryClockMHz: 2619,
            MeanGpuUtilizationPercent: 93.7, MaxGpuUtilizationPercent: 100, MaxMemoryUsedBytes: 70_000.0 * 1048576,
            MemoryUsedAtStartBytes: 69_000L * 1048576, MemoryUsedAtEndBytes: 70_000L * 1048576,
            EnergyJoules: 48, EnergySource: "EnergyCounter",
            ThrottleShare: new Dictionary<string, double> { ["idle"] = 0.0, ["sw-power"] = 0.25, ["hw-thermal"] = 0.05 },
            ThrottledShare: 0.3),
        new(1, "NVIDIA H100 80GB HBM3", "GPU-5e1f2d3c-0000-4000-8000-000000000001", 201, 20.0,
            MeanTemperatureC: 40, MaxTemperatureC: 41, MeanPowerWatts: 80, MaxPowerWatts: 81,
            MeanSmClockMHz: 345, MinSmClockMHz: 345, MeanMemoryClockMHz: 2619,
            MeanGpuUtilizationPercent: 0, MaxGpuUtilizationPercent: 0, MaxMemoryUsedBytes: 512.0 * 1048576,
            MemoryUsedAtStartBytes: 512L * 1048576, MemoryUsedAtEndBytes: 512L * 1048576,
            EnergyJoules: 16, EnergySource: "IntegratedPower",
            ThrottleShare: new Dictionary<string, double> { ["idle"] = 1.0, ["sw-power"] = 0.0, ["hw-thermal"] = 0.0 },
            ThrottledShare: 0.0),
    ];
}
