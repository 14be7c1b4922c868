using System.Diagnostics;
using System.Net.Http.Json;

namespace LlmBench.Cli.Tests.Serving;

/// <summary>A client that leaves mid-stream aborts its request: the engine stops generating for it and frees its KV blocks.</summary>
public class ServeDisconnectTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Leaving_mid_stream_frees_the_kv_cache()
    {
        const int MaxTokens = 1000; // seconds of decoding on the CPU: far more than the client waits for
        await using var run = await ServeRun.StartAsync(Fixtures.WideQwen3, "--load-format", "dummy", "--max-model-len", "1024", "--max-num-seqs", "4");
        var loop = run.Host.Server.State.Engines[0];

        // No draining of the unread rest on dispose (HttpClient's default would read on for 2 s to reuse the connection).
        using (var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = run.BaseUrl })
        using (var request = new HttpRequestMessage(HttpMethod.Post, "v1/completions"))
        {
            request.Content = JsonContent.Create(new { prompt = "Tell me a long story", max_tokens = MaxTokens, ignore_eos = true, stream = true });
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
            var chunks = 0;
            while (chunks < 3 && await reader.ReadLineAsync(Ct) is { } line)
            {
                if (line.StartsWith("data: {", StringComparison.Ordinal))
                    chunks++;
            }

            Assert.Equal(3, chunks);
            Assert.Equal(1, loop.Stats.RunningRequests);
            Assert.True(loop.Stats.KvCacheUsage > 0, "a running request holds KV blocks");
        }

        var clock = Stopwatch.StartNew();
        while ((loop.Stats.RunningRequests > 0 || loop.Stats.KvCacheUsage > 0) && clock.Elapsed < TimeSpan.FromSeconds(10))
            await Task.Delay(20, Ct);

        Assert.Equal(0, loop.Stats.RunningRequests);
        Assert.Equal(0, loop.Stats.KvCacheUsage);
        Assert.InRange(loop.Stats.GenerationTokensTotal, 3, MaxTokens / 2);
        var metrics = await run.Http.GetStringAsync("metrics", Ct);
        Assert.Contains($"vllm:kv_cache_usage_perc{{model_name=\"{Fixtures.WideQwen3}\"}} 0", metrics, StringComparison.Ordinal);
        Assert.Contains($"vllm:num_requests_running{{model_name=\"{Fixtures.WideQwen3}\"}} 0", metrics, StringComparison.Ordinal);
    }
}
