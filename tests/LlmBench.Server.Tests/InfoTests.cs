using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LlmBench.Server.Tests.Fakes;

namespace LlmBench.Server.Tests;

public class InfoTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Models_lists_the_served_name_and_context()
    {
        await using var server = await TestServer.StartAsync();
        var body = JsonDocument.Parse(await server.Http.GetStringAsync("/v1/models", Ct)).RootElement;

        Assert.Equal("list", body.GetProperty("object").GetString());
        Assert.Equal(TestServer.Model, body.GetProperty("data")[0].GetProperty("id").GetString());
        Assert.Equal(64, body.GetProperty("data")[0].GetProperty("max_model_len").GetInt32());
    }

    [Fact]
    public async Task Health_is_200_while_the_engine_loop_runs()
    {
        await using var server = await TestServer.StartAsync();

        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/health", Ct)).StatusCode);
    }

    [Fact]
    public async Task Metrics_use_vllm_names_and_count_what_was_served()
    {
        await using var server = await TestServer.StartAsync();
        for (int i = 0; i < 3; i++)
            (await server.Http.PostAsJsonAsync("/v1/completions", new { prompt = "t1 t2", max_tokens = 4 }, Ct)).Dispose();
        var text = await server.Http.GetStringAsync("/metrics", Ct);
        var labels = $"model_name=\"{TestServer.Model}\"";

        Assert.Contains($"vllm:num_requests_running{{{labels}}} 0", text, StringComparison.Ordinal);
        Assert.Contains($"vllm:num_requests_waiting{{{labels}}} 0", text, StringComparison.Ordinal);
        Assert.Contains($"vllm:prompt_tokens_total{{{labels}}} 6", text, StringComparison.Ordinal);
        Assert.Contains($"vllm:generation_tokens_total{{{labels}}} 12", text, StringComparison.Ordinal);
        Assert.Contains($"vllm:request_success_total{{{labels},finished_reason=\"length\"}} 3", text, StringComparison.Ordinal);
        Assert.Contains($"vllm:time_to_first_token_seconds_count{{{labels}}} 3", text, StringComparison.Ordinal);
        Assert.Contains($"vllm:inter_token_latency_seconds_count{{{labels}}} 9", text, StringComparison.Ordinal);
        Assert.Contains($"vllm:e2e_request_latency_seconds_bucket{{{labels},le=\"+Inf\"}} 3", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE vllm:kv_cache_usage_perc gauge", text, StringComparison.Ordinal);
    }
}
