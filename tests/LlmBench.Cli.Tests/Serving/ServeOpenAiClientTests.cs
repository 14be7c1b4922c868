using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using System.Text.Json;
using LlmBench.Server.Tests;
using LlmBench.Text.Tokenization;
using OpenAI;
using OpenAI.Chat;
using TemplateMessage = LlmBench.Text.Tokenization.ChatMessage;

namespace LlmBench.Cli.Tests.Serving;

/// <summary>
/// The official OpenAI .NET client against `llmbench serve` on the CPU engine, end to end: real tokenizer, real
/// forward passes (dummy weights), streaming and whole answers. Greedy sampling makes a streamed answer and a
/// whole one comparable token for token.
/// </summary>
public class ServeOpenAiClientTests(WideModelServer server) : IClassFixture<WideModelServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ChatClient Chat => new(WideModelServer.Model, new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(server.Run.BaseUrl, "v1") });

    [Fact]
    public async Task Chat_completion_honours_max_tokens_and_counts_the_templated_prompt()
    {
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 6, Temperature = 0f };
        ChatCompletion completion = await Chat.CompleteChatAsync([new UserChatMessage("Hello there")], options, Ct);

        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(6, completion.Usage.OutputTokenCount);
        var templated = TokenizerLoader.Qwen3.ApplyChatTemplate([new TemplateMessage("user", "Hello there")], addGenerationPrompt: true);
        Assert.Equal(TokenizerLoader.Qwen3.Encode(templated).Length, completion.Usage.InputTokenCount);
        Assert.NotEmpty(completion.Content[0].Text);
    }

    [Fact]
    public async Task Streaming_chat_gives_the_same_greedy_text_and_usage_in_the_last_chunk()
    {
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 7, Temperature = 0f };
        OpenAI.Chat.ChatMessage[] messages = [new SystemChatMessage("be brief"), new UserChatMessage("Count to three")];
        ChatCompletion whole = await Chat.CompleteChatAsync(messages, options, Ct);

        var streamed = new StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        var updates = 0;
        await foreach (var update in Chat.CompleteChatStreamingAsync(messages, options, Ct))
        {
            foreach (var part in update.ContentUpdate)
                streamed.Append(part.Text);
            finish ??= update.FinishReason;
            if (update.Usage is not null)
            {
                Assert.Null(usage);
                usage = update.Usage;
            }

            updates++;
        }

        Assert.Equal(whole.Content[0].Text, streamed.ToString());
        Assert.Equal(ChatFinishReason.Length, finish);
        Assert.NotNull(usage);
        Assert.Equal(7, usage.OutputTokenCount);
        Assert.Equal(whole.Usage.InputTokenCount, usage.InputTokenCount);
        Assert.True(updates >= 7, $"expected a chunk per token, got {updates} updates");
    }

    [Fact]
    public async Task Completion_text_is_the_decoded_generated_ids()
    {
        using var doc = JsonDocument.Parse(await CompletionAsync(
            $"{{\"model\": \"{WideModelServer.Model}\", \"prompt\": \"The capital of France is\", \"max_tokens\": 5, \"temperature\": 0, \"return_token_ids\": true}}"));
        var choice = doc.RootElement.GetProperty("choices")[0];
        var ids = choice.GetProperty("token_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();

        Assert.Equal(5, ids.Length);
        Assert.Equal(TokenizerLoader.Qwen3.Decode(ids, skipSpecialTokens: true), choice.GetProperty("text").GetString());
        Assert.Equal(TokenizerLoader.Qwen3.Encode("The capital of France is"), choice.GetProperty("prompt_token_ids").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(5, doc.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Streaming_completion_matches_the_whole_one_and_ends_with_usage_and_done()
    {
        const string Prompt = "Once upon a time";
        using var whole = JsonDocument.Parse(await CompletionAsync(
            $"{{\"model\": \"{WideModelServer.Model}\", \"prompt\": \"{Prompt}\", \"max_tokens\": 9, \"temperature\": 0}}"));
        var body = await CompletionAsync(
            $"{{\"model\": \"{WideModelServer.Model}\", \"prompt\": \"{Prompt}\", \"max_tokens\": 9, \"temperature\": 0, \"stream\": true, \"stream_options\": {{\"include_usage\": true}}}}");
        var chunks = Sse.JsonChunks(body);
        var textChunks = chunks.Where(c => c.GetProperty("choices").GetArrayLength() == 1).ToList();

        Assert.Equal("[DONE]", Sse.DataEvents(body)[^1]);
        Assert.Equal(whole.RootElement.GetProperty("choices")[0].GetProperty("text").GetString(),
            string.Concat(textChunks.Select(c => c.GetProperty("choices")[0].GetProperty("text").GetString())));
        Assert.Equal("length", textChunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        var usage = chunks[^1].GetProperty("usage");
        Assert.Equal(0, chunks[^1].GetProperty("choices").GetArrayLength());
        Assert.Equal(9, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(TokenizerLoader.Qwen3.Encode(Prompt).Length, usage.GetProperty("prompt_tokens").GetInt32());
    }

    /// <summary>The SDK keeps its completions client internal: /v1/completions goes through the SDK's pipeline with a raw body.</summary>
    private async Task<string> CompletionAsync(string json)
    {
        var pipeline = new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(server.Run.BaseUrl, "v1") }).Pipeline;
        using var message = pipeline.CreateMessage();
        message.Request.Method = "POST";
        message.Request.Uri = new Uri(server.Run.BaseUrl, "v1/completions");
        message.Request.Headers.Set("Content-Type", "application/json");
        message.Request.Content = BinaryContent.Create(BinaryData.FromString(json));
        message.Apply(new RequestOptions { CancellationToken = Ct });
        await pipeline.SendAsync(message);
        Assert.Equal(200, message.Response!.Status);
        return message.Response.Content.ToString();
    }
}
