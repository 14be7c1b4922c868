using System.Text.Json;
using LlmBench.LoadGen.Client;
using LlmBench.LoadGen.Datasets;
using LlmBench.LoadGen.Tests.Fakes;

namespace LlmBench.LoadGen.Tests.Client;

/// <summary>What vLLM's --header, --request-id-prefix, --backend vllm, --logprobs and --min-p put on the wire.</summary>
public class RequestOptionsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonElement Body(string backend, SamplingOverrides sampling, int? logprobs)
    {
        var prepared = new RequestBodyBuilder(backend, "m", ignoreEos: false, sampling, logprobs).Build(new BenchRequest("hello", 1, 4));
        return JsonDocument.Parse(prepared.Body).RootElement.Clone();
    }

    [Fact]
    public async Task Headers_override_the_api_key_and_the_request_id_stays_the_requests_own()
    {
        await using var server = await ScriptedServer.StartAsync(_ => new ChunkScript { UsageTokens = 1 });
        using var client = new StreamingClient(server.CompletionsUrl, "secret", 1,
            [new("x-bench-run", "7"), new("Authorization", "Bearer from-header"), new("x-request-id", "not-this")]);
        var prepared = new RequestBodyBuilder("vllm", "m", false, SamplingOverrides.None).Build(new BenchRequest("hi", 1, 1));

        var timing = await client.SendAsync(0, "run7-0", prepared, 0, 0, Ct);

        Assert.True(timing.Success, timing.Error);
        var (headers, _) = Assert.Single(server.Received);
        Assert.Equal("7", headers["x-bench-run"]);
        Assert.Equal("Bearer from-header", headers["Authorization"]);
        Assert.Equal("run7-0", headers["x-request-id"]);
    }

    [Fact]
    public void Vllm_is_the_completions_backend_and_logprobs_and_min_p_are_sent_only_when_asked()
    {
        var vllm = Body("vllm", new SamplingOverrides(MinP: 0.1), logprobs: 3);
        Assert.Equal("hello", vllm.GetProperty("prompt").GetString());
        Assert.Equal(4, vllm.GetProperty("max_tokens").GetInt32());
        Assert.Equal(3, vllm.GetProperty("logprobs").GetInt32());
        Assert.Equal(0.1, vllm.GetProperty("min_p").GetDouble());
        Assert.False(vllm.TryGetProperty("top_logprobs", out _));

        var chat = Body("openai-chat", SamplingOverrides.None, logprobs: 2);
        Assert.True(chat.GetProperty("logprobs").GetBoolean());
        Assert.Equal(2, chat.GetProperty("top_logprobs").GetInt32());
        Assert.False(chat.TryGetProperty("min_p", out _));

        var plain = Body("openai", SamplingOverrides.None, logprobs: null);
        Assert.False(plain.TryGetProperty("logprobs", out _));
    }
}
