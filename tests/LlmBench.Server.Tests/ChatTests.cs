using System.Net.Http.Json;
using System.Text.Json;
using LlmBench.Server.Tests.Fakes;

namespace LlmBench.Server.Tests;

public class ChatTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Whole_chat_completion_returns_an_assistant_message()
    {
        await using var server = await TestServer.StartAsync();
        using var response = await server.Http.PostAsJsonAsync("/v1/chat/completions",
            new { model = TestServer.Model, messages = new[] { new { role = "user", content = "hello" } }, max_completion_tokens = 3 }, Ct);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;

        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
        var message = body.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        Assert.Equal(3, message.GetProperty("content").GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal("length", body.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        // The chat template's words are the prompt: "<|im_start|>user", "hello<|im_end|>", "<|im_start|>assistant".
        Assert.Equal(3, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task Streaming_chat_opens_with_the_role_and_ends_with_an_empty_delta()
    {
        await using var server = await TestServer.StartAsync();
        using var response = await server.Http.PostAsJsonAsync("/v1/chat/completions",
            new { messages = new object[] { new { role = "system", content = "be brief" }, new { role = "user", content = new[] { new { type = "text", text = "hi" } } } },
                  max_tokens = 30, stream = true, stream_options = new { include_usage = true } }, Ct);
        var chunks = Sse.JsonChunks(await response.Content.ReadAsStringAsync(Ct));

        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        var last = chunks[^2].GetProperty("choices")[0];
        Assert.Equal("stop", last.GetProperty("finish_reason").GetString());
        Assert.False(last.GetProperty("delta").TryGetProperty("content", out _));
        // Five tokens, then EOS (index 5), which has no text and ends the stream.
        var contents = chunks.Skip(1).Take(5).Select(c => c.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString());
        Assert.All(contents, t => Assert.Matches("^t[0-9]+ $", t));
        Assert.Equal(6, chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }
}
