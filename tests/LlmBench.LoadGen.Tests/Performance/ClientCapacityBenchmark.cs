using System.Globalization;
using LlmBench.LoadGen.Client;
using LlmBench.LoadGen.Datasets;
using LlmBench.LoadGen.Runner;
using LlmBench.Reports.Serving;
using LlmBench.Reports.Statistics;

namespace LlmBench.LoadGen.Tests.Performance;

/// <summary>
/// The client-capacity benchmark of docs/PERFORMANCE.md against an endpoint that streams 16 chunks
/// instantly: (1) a closed loop of 256 requests in flight must sustain at least 2,000 requests/s;
/// (2) at 2,000 requests/s offered (Poisson, at most 256 in flight) the client must stamp the first
/// chunk under 1 ms (median) after the server flushed it; (3) the same at every point of a 5-point
/// --max-concurrency sweep (16 … 256), each point a fresh client against the same endpoint, as `bench serve`
/// runs a sweep. Runs only with LLMBENCH_PERF=1 (it loads the machine for several seconds); prints its figures
/// and appends them to a file in the temp folder (dev/client-capacity.sh runs it and prints them).
/// </summary>
public class ClientCapacityBenchmark
{
    private static int Requests(string fallback) =>
        int.Parse(Environment.GetEnvironmentVariable("LLMBENCH_PERF_REQUESTS") ?? fallback, CultureInfo.InvariantCulture);

    [Fact]
    public async Task Closed_loop_of_256_sustains_2000_requests_per_second()
    {
        Assert.SkipUnless(Environment.GetEnvironmentVariable("LLMBENCH_PERF") == "1", "set LLMBENCH_PERF=1 to run the client-capacity benchmark");
        await using var server = await InstantServer.StartAsync();
        var (metrics, delivery, report) = await RunAsync(server, Requests("30000"), double.PositiveInfinity, 256, "closed loop, 256 in flight");

        Assert.True(metrics.RequestThroughput >= 2000, report);
        Assert.True(metrics.MaxConcurrentRequests >= 200, report);
        _ = delivery;
    }

    [Fact]
    public async Task At_2000_requests_per_second_the_client_adds_under_a_millisecond_to_ttft()
    {
        Assert.SkipUnless(Environment.GetEnvironmentVariable("LLMBENCH_PERF") == "1", "set LLMBENCH_PERF=1 to run the client-capacity benchmark");
        await using var server = await InstantServer.StartAsync();
        var (metrics, delivery, report) = await RunAsync(server, Requests("20000"), 2000, 256, "2000 req/s offered, at most 256 in flight");

        Assert.InRange(metrics.RequestThroughput, 1800, 2200);
        Assert.True(delivery.Median < 1.0, report);
    }

    [Fact]
    public async Task A_five_point_concurrency_sweep_at_2000_requests_per_second_adds_under_a_millisecond_at_every_point()
    {
        Assert.SkipUnless(Environment.GetEnvironmentVariable("LLMBENCH_PERF") == "1", "set LLMBENCH_PERF=1 to run the client-capacity benchmark");
        await using var server = await InstantServer.StartAsync();
        var failures = new List<string>();
        foreach (var concurrency in new[] { 16, 32, 64, 128, 256 })
        {
            var (metrics, delivery, report) = await RunAsync(server, Requests("10000"), 2000, concurrency, $"sweep point max_concurrency={concurrency}, 2000 req/s offered");
            if (!(metrics.RequestThroughput is >= 1800 and <= 2200) || delivery.Median >= 1.0)
                failures.Add(report);
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static async Task<(ServingMetrics Metrics, DistributionSummary Delivery, string Report)> RunAsync(
        InstantServer server, int requests, double rate, int maxConcurrency, string label)
    {
        server.FirstFlushTicks.Clear();
        var builder = new RequestBodyBuilder("openai", "instant", ignoreEos: true, SamplingOverrides.None);
        var prepared = Enumerable.Range(0, 64).Select(i => builder.Build(new BenchRequest($"prompt number {i}", 8, InstantServer.Chunks))).ToArray();
        var plan = new RunPlan
        {
            Requests = Enumerable.Range(0, requests).Select(i => prepared[i % prepared.Length]).ToArray(),
            MaxConcurrency = maxConcurrency,
            RequestRate = rate,
            NumWarmups = 512,
            RequestIdPrefix = "perf-",
        };

        using var client = new StreamingClient(server.CompletionsUrl, null, maxConcurrency);
        var outcome = await new BenchmarkRunner(client).RunAsync(plan, new RunProgress(), null, TestContext.Current.CancellationToken);
        var metrics = ServingMetrics.Compute(outcome.Records, outcome.DurationSeconds, [50, 99], GoodputSlo.None);
        var deliveryMs = outcome.Timings
            .Where(t => t.Success && server.FirstFlushTicks.ContainsKey($"perf-{t.Index}"))
            .Select(t => RequestTiming.TicksToMs(t.ChunkTicks[0] - server.FirstFlushTicks[$"perf-{t.Index}"]))
            .ToArray();
        var delivery = DistributionSummary.Compute(deliveryMs, [50, 90, 99]);
        var report =
            $"[{label}] {metrics.Completed} ok / {metrics.Failed} failed in {metrics.DurationSeconds:F2} s = {metrics.RequestThroughput:F0} req/s, " +
            $"{metrics.OutputThroughput:F0} chunks/s, peak concurrency {metrics.MaxConcurrentRequests}; " +
            $"client first-chunk stamp minus server first flush: median {delivery.Median:F3} ms, p90 {delivery.ValueAt(90):F3} ms, p99 {delivery.ValueAt(99):F3} ms; " +
            $"send wait p99 {DistributionSummary.Compute(outcome.Records.Select(r => r.SendWaitMs), [99]).ValueAt(99):F3} ms; client TTFT median {metrics.TtftMs.Median:F3} ms, p99 {metrics.TtftMs.ValueAt(99):F3} ms; send lag p50 {outcome.Client.SendLagP50Ms:F3} ms, p99 {outcome.Client.SendLagP99Ms:F3} ms; " +
            $"process CPU {outcome.Client.CpuUtilization * 100:F0}% of {outcome.Client.CpuCores} cores (client and server together)";
        TestContext.Current.SendDiagnosticMessage(report);
        await File.AppendAllTextAsync(Path.Combine(Path.GetTempPath(), "llmbench-client-capacity.txt"), report + "\n", TestContext.Current.CancellationToken);

        Assert.Equal(0, metrics.Failed);
        Assert.Equal((long)requests * InstantServer.Chunks, metrics.TotalOutputTokens);
        return (metrics, delivery, report);
    }
}
