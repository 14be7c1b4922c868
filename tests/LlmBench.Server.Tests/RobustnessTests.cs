using System.Net;
using System.Net.Http.Json;
using System.Text;
using LlmBench.Server.Tests.Fakes;

namespace LlmBench.Server.Tests;

public class RobustnessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_client_that_disconnects_mid_stream_aborts_its_request_and_frees_the_engine()
    {
        await using var server = await TestServer.StartAsync(new ScriptedEngine(maxModelLength: 4096, stepDelayMs: 20));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/completions")
        {
            Content = JsonContent.Create(new { prompt = "t1", max_tokens = 2000, ignore_eos = true, stream = true }),
        };
        using (var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token))
        {
            var stream = await response.Content.ReadAsStreamAsync(cts.Token);
            var buffer = new byte[256];
            Assert.True(await stream.ReadAsync(buffer, cts.Token) > 0);
            await cts.CancelAsync();
        }

        await CompletionsTests.WaitForAsync(() => server.Engine.ActiveCount == 0);
        Assert.Single(server.Engine.Aborted);
    }

    [Fact]
    public async Task An_engine_failure_fails_the_request_with_500_and_the_server_keeps_serving()
    {
        await using var server = await TestServer.StartAsync();
        using var failed = await server.Http.PostAsJsonAsync("/v1/completions", new { prompt = new[] { ScriptedEngine.PoisonId, 1 }, max_tokens = 2 }, Ct);
        using var next = await server.Http.PostAsJsonAsync("/v1/completions", new { prompt = "t1", max_tokens = 2 }, Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Contains("scripted step failure", await failed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(1, server.Server.State.Loop.StepFailures);
    }

    [Fact]
    public async Task Overload_beyond_max_waiting_gets_503_quickly()
    {
        await using var server = await TestServer.StartAsync(new ScriptedEngine(maxModelLength: 4096, stepDelayMs: 20), o => o with { MaxWaiting = 0 }, maxNumSeqs: 1);
        var busy = server.Http.PostAsJsonAsync("/v1/completions", new { prompt = "t1", max_tokens = 40, ignore_eos = true }, Ct);
        await CompletionsTests.WaitForAsync(() => server.Server.State.Metrics.InFlight == 1);

        var started = System.Diagnostics.Stopwatch.StartNew();
        using var refused = await server.Http.PostAsJsonAsync("/v1/completions", new { prompt = "t1", max_tokens = 1 }, Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.True(started.ElapsedMilliseconds < 500, $"503 took {started.ElapsedMilliseconds} ms");
        Assert.Contains("overloaded", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        using var done = await busy;
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
    }

    [Fact]
    public async Task Random_bodies_never_get_a_5xx_and_leave_the_server_healthy()
    {
        await using var server = await TestServer.StartAsync();
        var rng = new Random(1234);
        string[] fragments = ["{", "}", "[", "]", "\"prompt\"", "\"messages\"", ":", ",", "\"t1\"", "1", "-3", "null", "true", "\"max_tokens\"", "\"stream\"", "\"stop\"", "1e309", "\"\\u0000\"", "\"n\""];
        for (int i = 0; i < 150; i++)
        {
            var body = i % 3 == 0
                ? Encoding.Latin1.GetString(Enumerable.Range(0, rng.Next(1, 64)).Select(_ => (byte)rng.Next(256)).ToArray())
                : string.Concat(Enumerable.Range(0, rng.Next(1, 20)).Select(_ => fragments[rng.Next(fragments.Length)]));
            var path = i % 2 == 0 ? "/v1/completions" : "/v1/chat/completions";
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await server.Http.PostAsync(path, content, Ct);
            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for body {body}");
        }

        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/health", Ct)).StatusCode);
        using var ok = await server.Http.PostAsJsonAsync("/v1/completions", new { prompt = "t1", max_tokens = 2 }, Ct);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(0, server.Server.State.Metrics.InFlight);
    }
}
