using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using LlmBench.Server.Tests.Fakes;
using OpenAI;
using OpenAI.Chat;

namespace LlmBench.Server.Tests;

/// <summary>The official OpenAI .NET client (the `OpenAI` package) talks to the server unchanged.</summary>
public class OpenAiClientTests
{
    private const string Key = "test-key";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static OpenAIClientOptions Options(TestServer server) => new() { Endpoint = new Uri(server.Server.BaseUrl, "v1") };

    private static Task<TestServer> StartAsync() => TestServer.StartAsync(configure: o => o with { ApiKey = Key });

    [Fact]
    public async Task Chat_completion()
    {
        await using var server = await StartAsync();
        var client = new ChatClient(TestServer.Model, new ApiKeyCredential(Key), Options(server));
        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("hello")], new ChatCompletionOptions { MaxOutputTokenCount = 4 }, Ct);

        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(4, completion.Usage.OutputTokenCount);
        Assert.Equal(4, completion.Content[0].Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Streaming_chat_completion_with_usage()
    {
        await using var server = await StartAsync();
        var client = new ChatClient(TestServer.Model, new ApiKeyCredential(Key), Options(server));
        var text = new System.Text.StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in client.CompleteChatStreamingAsync([new SystemChatMessage("be brief"), new UserChatMessage("hello")], new ChatCompletionOptions { MaxOutputTokenCount = 30 }, Ct))
        {
            foreach (var part in update.ContentUpdate)
                text.Append(part.Text);
            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.Equal(5, text.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.NotNull(usage);
        Assert.Equal(6, usage.OutputTokenCount);
    }

    [Fact]
    public async Task Wrong_key_surfaces_as_a_401_client_error()
    {
        await using var server = await StartAsync();
        var client = new ChatClient(TestServer.Model, new ApiKeyCredential("wrong"), Options(server));

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: Ct));
        Assert.Equal(401, ex.Status);
    }

    /// <summary>
    /// The SDK keeps its completions client internal, so /v1/completions goes through the SDK's own
    /// pipeline (its API-key policy and HTTP transport) with a raw body.
    /// </summary>
    private static async Task<string> CompletionThroughSdkPipelineAsync(TestServer server, string json)
    {
        var pipeline = new OpenAIClient(new ApiKeyCredential(Key), Options(server)).Pipeline;
        using var message = pipeline.CreateMessage();
        message.Request.Method = "POST";
        message.Request.Uri = new Uri(server.Server.BaseUrl, "v1/completions");
        message.Request.Headers.Set("Content-Type", "application/json");
        message.Request.Content = BinaryContent.Create(BinaryData.FromString(json));
        message.Apply(new RequestOptions { CancellationToken = Ct });
        await pipeline.SendAsync(message);
        Assert.Equal(200, message.Response!.Status);
        return message.Response.Content.ToString();
    }

    [Fact]
    public async Task Completion_through_the_sdk_pipeline()
    {
        await using var server = await StartAsync();
        var text = await CompletionThroughSdkPipelineAsync(server, $"{{\"model\": \"{TestServer.Model}\", \"prompt\": \"t1 t2 t3\", \"max_tokens\": 3}}");
        using var doc = JsonDocument.Parse(text);

        Assert.Equal("t7 t8 t9 ", doc.RootElement.GetProperty("choices")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Streaming_completion_through_the_sdk_pipeline()
    {
        await using var server = await StartAsync();
        var text = await CompletionThroughSdkPipelineAsync(server,
            $"{{\"model\": \"{TestServer.Model}\", \"prompt\": \"t1 t2 t3\", \"max_tokens\": 3, \"stream\": true, \"stream_options\": {{\"include_usage\": true}}}}");
        var chunks = Sse.JsonChunks(text);

        Assert.Equal("t7 t8 t9 ", string.Concat(chunks.Take(3).Select(c => c.GetProperty("choices")[0].GetProperty("text").GetString())));
        Assert.Equal(3, chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }
}
