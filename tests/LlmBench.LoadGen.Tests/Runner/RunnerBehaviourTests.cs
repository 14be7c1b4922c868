using LlmBench.LoadGen.Client;
using LlmBench.LoadGen.Runner;
using LlmBench.LoadGen.Tests.Fakes;

namespace LlmBench.LoadGen.Tests.Runner;

public class RunnerBehaviourTests
{
    private static ChunkScript Quick(string _) => new() { FirstChunkDelayMs = 2, GapsMs = [1, 1], UsageTokens = 3 };

    [Fact]
    public async Task Warmups_are_sent_first_and_left_out_of_the_records()
    {
        await using var server = await ScriptedServer.StartAsync(Quick);
        var outcome = await RunHarness.RunAsync(server, RunHarness.Plan(5, maxConcurrency: 2, warmups: 3));

        var ids = server.RequestIds.ToArray();
        Assert.Equal(8, ids.Length);
        Assert.All(ids[..3], id => Assert.Contains("warmup", id, StringComparison.Ordinal));
        Assert.Equal(5, outcome.Records.Count);
        Assert.Equal([0, 1, 2, 3, 4], outcome.Records.Select(r => r.Index).Order());
    }

    [Fact]
    public async Task Max_concurrency_is_never_exceeded()
    {
        await using var server = await ScriptedServer.StartAsync(_ => new ChunkScript { FirstChunkDelayMs = 20, GapsMs = [5], UsageTokens = 2 });
        // One warm-up compiles the send path, so the first sends' lag is not JIT time.
        var outcome = await RunHarness.RunAsync(server, RunHarness.Plan(12, maxConcurrency: 3, warmups: 1));

        Assert.Equal(3, LlmBench.Reports.Serving.PeakActivity.MaxConcurrentRequests(outcome.Records));
        // Waiting for a slot is queueing, not lag: the later requests queued about one round each.
        Assert.True(outcome.Records.Max(r => r.ClientQueueMs) > 40);
        Assert.True(outcome.Client.SendLagP99Ms < 50, $"send lag p99 {outcome.Client.SendLagP99Ms} ms");
    }

    [Fact]
    public async Task A_finite_rate_spreads_sends_over_count_over_rate_seconds()
    {
        await using var server = await ScriptedServer.StartAsync(Quick);
        var outcome = await RunHarness.RunAsync(server, RunHarness.Plan(20, rate: 40));
        var lastStart = outcome.Records.Max(r => r.StartSeconds);

        // vLLM normalizes the schedule so the last request is due at 20 / 40 = 0.5 s after the start.
        Assert.InRange(lastStart, 0.3, 0.8);
        Assert.All(outcome.Records, r => Assert.True(r.Success, r.Error));
    }

    [Fact]
    public async Task A_duration_run_cycles_requests_and_stops_sending_at_the_deadline()
    {
        await using var server = await ScriptedServer.StartAsync(Quick);
        var outcome = await RunHarness.RunAsync(server, RunHarness.Plan(3, maxConcurrency: 2, durationSeconds: 0.5));

        Assert.True(outcome.Records.Count > 3, $"only {outcome.Records.Count} requests in 0.5 s");
        Assert.All(outcome.Records, r => Assert.True(r.StartSeconds < 0.5));
        Assert.Equal(outcome.Records.Count, outcome.Records.Select(r => r.Index).Distinct().Count());
    }

    [Fact]
    public async Task The_api_key_is_sent_as_a_bearer_token()
    {
        await using var server = await ScriptedServer.StartAsync(Quick, apiKey: "sekret");
        var ok = await RunHarness.RunAsync(server, RunHarness.Plan(1), apiKey: "sekret");
        var denied = await RunHarness.RunAsync(server, RunHarness.Plan(1), apiKey: "wrong");

        Assert.True(ok.Records.Single().Success);
        Assert.Equal("HTTP 401: bad key", denied.Records.Single().Error);
    }

    [Fact]
    public async Task The_first_model_is_discovered_from_the_server()
    {
        await using var server = await ScriptedServer.StartAsync(Quick);

        Assert.Equal("scripted-model", await ModelDiscovery.FirstModelAsync(server.BaseUrl, null, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_unreachable_server_fails_each_request_with_a_reason()
    {
        using var client = new StreamingClient(new Uri("http://127.0.0.1:9/v1/completions"), null, 1);
        var outcome = await new BenchmarkRunner(client).RunAsync(RunHarness.Plan(2), new RunProgress(), null, TestContext.Current.CancellationToken);

        Assert.All(outcome.Records, r => Assert.StartsWith("connection failed", r.Error, StringComparison.Ordinal));
    }

    [Fact]
    public void Duration_with_infinite_rate_needs_a_concurrency_limit()
    {
        var ex = Assert.Throws<ArgumentException>(() => RunHarness.Plan(1, durationSeconds: 1).Validate());
        Assert.Contains("--max-concurrency", ex.Message);
    }
}
