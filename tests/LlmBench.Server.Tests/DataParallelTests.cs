using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using LlmBench.Server.Dispatch;
using LlmBench.Server.Tests.Fakes;

namespace LlmBench.Server.Tests;

/// <summary>Several engines behind one endpoint (`serve --data-parallel-size N`): dispatch, metrics, aborts, health and admission.</summary>
public class DataParallelTests
{
    private const string Labels = $"model_name=\"{TestServer.Model}\"";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ScriptedEngine[] TwoSlowEngines() => [new(maxModelLength: 4096, stepDelayMs: 20), new(maxModelLength: 4096, stepDelayMs: 20)];

    private static async Task<HttpStatusCode> CompleteAsync(TestServer server, int maxTokens = 2)
    {
        using var response = await server.Http.PostAsJsonAsync("/v1/completions", new { prompt = "t1 t2", max_tokens = maxTokens }, Ct);
        return response.StatusCode;
    }

    [Fact]
    public void The_pool_hands_each_request_to_the_least_loaded_engine_ties_to_the_lowest_index()
    {
        using var pool = new EnginePool([new ScriptedEngine(), new ScriptedEngine(), new ScriptedEngine()]);
        EngineLease Acquire() => pool.TryAcquire(10, out var lease, out _) ? lease! : throw new InvalidOperationException("no engine had room");
        var leases = Enumerable.Range(0, 4).Select(_ => Acquire()).ToArray();

        Assert.Equal(new[] { 0, 1, 2, 0 }, leases.Select(l => l.Index));
        Assert.Equal(new[] { 2, 1, 1 }, pool.Loads());
        leases[2].Dispose();
        leases[2].Dispose(); // a lease is given back once
        Assert.Equal(new[] { 2, 1, 0 }, pool.Loads());
        var next = Acquire();
        Assert.Equal(2, next.Index);
        foreach (var lease in leases.Append(next))
            lease.Dispose();
        Assert.Equal(new[] { 0, 0, 0 }, pool.Loads());
        Assert.False(pool.TryAcquire(0, out var none, out _));
        Assert.Null(none);
    }

    [Fact]
    public async Task While_one_engine_holds_a_long_request_the_next_ones_go_to_the_other()
    {
        await using var server = await TestServer.StartAsync(TwoSlowEngines());
        var (first, second) = (server.Engines[0], server.Engines[1]);
        await using (await OpenStream.StartAsync(server))
        {
            Assert.Single(first.Added);
            Assert.Equal(HttpStatusCode.OK, await CompleteAsync(server));
            Assert.Equal(HttpStatusCode.OK, await CompleteAsync(server));
            Assert.Single(first.Added);
            Assert.Equal(2, second.Added.Count);

            // Both busy with one long request each: the next goes to the lowest index again.
            await using var other = await OpenStream.StartAsync(server);
            Assert.Equal(3, second.Added.Count);
            Assert.Equal(new[] { 1, 1 }, server.Server.State.Engines.Loads());
            Assert.Equal(HttpStatusCode.OK, await CompleteAsync(server));
            Assert.Equal(2, first.Added.Count);
        }
    }

    [Fact]
    public async Task A_client_leaving_aborts_its_request_on_its_own_engine_only()
    {
        await using var server = await TestServer.StartAsync(TwoSlowEngines());
        var (first, second) = (server.Engines[0], server.Engines[1]);
        await using var staying = await OpenStream.StartAsync(server);
        await using (await OpenStream.StartAsync(server))
            Assert.Equal(1, second.ActiveCount);

        await CompletionsTests.WaitForAsync(() => second.ActiveCount == 0);
        Assert.Equal(second.Added, second.Aborted);
        Assert.Empty(first.Aborted);
        Assert.Equal(1, first.ActiveCount);
        await CompletionsTests.WaitForAsync(() => server.Server.State.Engines.Loads() is [1, 0]);
    }

    [Fact]
    public async Task Metrics_label_each_engine_and_keep_the_totals_under_the_single_engine_labels()
    {
        await using var server = await TestServer.StartAsync(TwoSlowEngines());
        await using (await OpenStream.StartAsync(server))
        {
            Assert.Equal(HttpStatusCode.OK, await CompleteAsync(server, maxTokens: 3));
            Assert.Equal(HttpStatusCode.OK, await CompleteAsync(server, maxTokens: 3));
            var busy = await server.Http.GetStringAsync("/metrics", Ct);
            Assert.Contains($"vllm:num_requests_running{{{Labels},engine=\"0\"}} 1", busy, StringComparison.Ordinal);
            Assert.Contains($"vllm:num_requests_running{{{Labels},engine=\"1\"}} 0", busy, StringComparison.Ordinal);
            Assert.Contains($"vllm:num_requests_running{{{Labels}}} 1", busy, StringComparison.Ordinal);
            Assert.Contains($"vllm:kv_cache_usage_perc{{{Labels}}} 0.03125", busy, StringComparison.Ordinal); // (1/16 + 0) / 2
        }

        await CompletionsTests.WaitForAsync(() => server.Engines[0].ActiveCount == 0 && server.Server.State.Metrics.InFlight == 0);
        var text = await server.Http.GetStringAsync("/metrics", Ct);
        string Sample(string name, string labels) => Regex.Match(text, $"^{Regex.Escape(name)}\\{{{Regex.Escape(labels)}\\}} (\\S+)$", RegexOptions.Multiline).Groups[1].Value;
        string Engine(int i) => $"{Labels},engine=\"{i}\"";

        Assert.Equal("1", Sample("vllm:prompt_tokens_total", Engine(0)));
        Assert.Equal("4", Sample("vllm:prompt_tokens_total", Engine(1)));
        Assert.Equal("5", Sample("vllm:prompt_tokens_total", Labels));
        Assert.Equal("6", Sample("vllm:generation_tokens_total", Engine(1)));
        Assert.Equal("2", Sample("vllm:request_success_total", Engine(1) + ",finished_reason=\"length\""));
        Assert.Equal("0", Sample("vllm:request_success_total", Engine(0) + ",finished_reason=\"length\""));
        Assert.Equal("2", Sample("vllm:request_success_total", Labels + ",finished_reason=\"length\""));
        Assert.Equal("1", Sample("llmbench:requests_abandoned_total", Engine(0)));
        Assert.Equal("0", Sample("llmbench:requests_abandoned_total", Engine(1)));
        Assert.Equal("1", Sample("llmbench:requests_abandoned_total", Labels));
        Assert.Equal("1", Sample("vllm:time_to_first_token_seconds_count", Engine(0)));
        Assert.Equal("2", Sample("vllm:time_to_first_token_seconds_count", Engine(1)));
        Assert.Equal("3", Sample("vllm:time_to_first_token_seconds_count", Labels));
        Assert.Equal("2", Sample("vllm:e2e_request_latency_seconds_bucket", Engine(1) + ",le=\"+Inf\""));
        Assert.Equal("0", Sample("vllm:num_requests_running", Labels));
        Assert.Equal("0", Sample("vllm:kv_cache_usage_perc", Labels));
        Assert.Single(Regex.Matches(text, "^# TYPE vllm:num_requests_running ", RegexOptions.Multiline));
        Assert.Single(Regex.Matches(text, "^# TYPE vllm:time_to_first_token_seconds ", RegexOptions.Multiline));
        Assert.DoesNotContain("engine=\"2\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_engine_has_no_engine_label()
    {
        await using var server = await TestServer.StartAsync();
        Assert.Equal(HttpStatusCode.OK, await CompleteAsync(server));

        Assert.DoesNotContain("engine=", await server.Http.GetStringAsync("/metrics", Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_fails_only_when_no_engine_runs_and_requests_skip_a_dead_engine()
    {
        await using var server = await TestServer.StartAsync([new ScriptedEngine(), new ScriptedEngine()]);
        var engines = server.Server.State.Engines;
        async Task<HttpResponseMessage> KillOneAsync() =>
            await server.Http.PostAsJsonAsync("/v1/completions", new { prompt = new[] { ScriptedEngine.FatalId, 1 }, max_tokens = 2 }, Ct);

        using (var killed = await KillOneAsync())
            Assert.Equal(HttpStatusCode.InternalServerError, killed.StatusCode);
        await CompletionsTests.WaitForAsync(() => !engines[0].IsRunning);
        Assert.Contains("scripted engine death", engines[0].FatalError?.Message, StringComparison.Ordinal);
        Assert.True(engines[1].IsRunning);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/health", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await CompleteAsync(server));
        Assert.Equal(HttpStatusCode.OK, await CompleteAsync(server));
        Assert.Empty(server.Engines[0].Added); // the dead engine took nothing
        Assert.Equal(2, server.Engines[1].Added.Count);

        using (var killed = await KillOneAsync())
            Assert.Equal(HttpStatusCode.InternalServerError, killed.StatusCode);
        await CompletionsTests.WaitForAsync(() => !engines[1].IsRunning);
        using var health = await server.Http.GetAsync("/health", Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        using var refused = await server.Http.PostAsJsonAsync("/v1/completions", new { prompt = "t1", max_tokens = 2 }, Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("No engine is running", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_503_comes_only_when_every_engine_is_full()
    {
        await using var server = await TestServer.StartAsync(TwoSlowEngines(), o => o with { MaxWaiting = 0 }, maxNumSeqs: 1);
        await using var first = await OpenStream.StartAsync(server);
        await using var second = await OpenStream.StartAsync(server);
        Assert.Equal(new[] { 1, 1 }, server.Server.State.Engines.Loads());
        using (var refused = await server.Http.PostAsJsonAsync("/v1/completions", new { prompt = "t1", max_tokens = 1 }, Ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
            Assert.Contains("overloaded", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        await first.DisposeAsync();

        // The first engine's client left: its place is free again, the second is still full.
        await CompletionsTests.WaitForAsync(() => server.Server.State.Engines.Loads() is [0, 1]);
        Assert.Equal(HttpStatusCode.OK, await CompleteAsync(server));
        Assert.Equal(2, server.Engines[0].Added.Count);
        Assert.Contains($"llmbench:requests_rejected_total{{{Labels}}} 1", await server.Http.GetStringAsync("/metrics", Ct), StringComparison.Ordinal);
    }
}
