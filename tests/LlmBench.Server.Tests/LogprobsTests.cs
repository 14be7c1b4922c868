using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LlmBench.Server.Tests.Fakes;

namespace LlmBench.Server.Tests;

/// <summary>
/// logprobs / top_logprobs in OpenAI's shapes, whole and streamed, over the scripted engine: token i of prompt "t1 t2 t3"
/// is t(7+i); its log probability is −0.25 and its alternatives are the ids after it at −0.5, −0.75, …
/// (<see cref="ScriptedEngine.ScriptedLogprobs"/>). The values against a real model are in the CLI's serving tests.
/// </summary>
public class LogprobsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(TestServer server, string path, string json)
    {
        using var response = await server.Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private static async Task<JsonElement> OkAsync(TestServer server, string path, string json)
    {
        var (status, body) = await PostAsync(server, path, json);
        Assert.True(status == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task Completions_give_tokens_logprobs_offsets_and_the_top_map()
    {
        await using var server = await TestServer.StartAsync();
        var body = await OkAsync(server, "/v1/completions", "{\"prompt\": \"t1 t2 t3\", \"max_tokens\": 3, \"logprobs\": 2}");
        var logprobs = body.GetProperty("choices")[0].GetProperty("logprobs");

        Assert.Equal(["t7 ", "t8 ", "t9 "], logprobs.GetProperty("tokens").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([-0.25f, -0.25f, -0.25f], logprobs.GetProperty("token_logprobs").EnumerateArray().Select(e => e.GetSingle()));
        Assert.Equal([0, 3, 6], logprobs.GetProperty("text_offset").EnumerateArray().Select(e => e.GetInt32()));
        var top = logprobs.GetProperty("top_logprobs")[1];
        Assert.Equal(-0.25f, top.GetProperty("t8 ").GetSingle());
        Assert.Equal(-0.5f, top.GetProperty("t9 ").GetSingle());
        Assert.Equal(2, top.EnumerateObject().Count());
    }

    [Fact]
    public async Task Completions_logprobs_zero_gives_the_sampled_token_alone_and_none_asked_gives_null()
    {
        await using var server = await TestServer.StartAsync();
        var zero = await OkAsync(server, "/v1/completions", "{\"prompt\": \"t1 t2 t3\", \"max_tokens\": 2, \"logprobs\": 0}");
        var maps = zero.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("top_logprobs").EnumerateArray().ToArray();
        Assert.Equal(2, maps.Length);
        Assert.All(maps, m => Assert.Single(m.EnumerateObject()));

        var none = await OkAsync(server, "/v1/completions", "{\"prompt\": \"t1 t2 t3\", \"max_tokens\": 2}");
        Assert.Equal(JsonValueKind.Null, none.GetProperty("choices")[0].GetProperty("logprobs").ValueKind);
    }

    [Fact]
    public async Task Streamed_completion_chunks_each_carry_their_tokens_logprobs()
    {
        await using var server = await TestServer.StartAsync();
        var (status, body) = await PostAsync(server, "/v1/completions",
            "{\"prompt\": \"t1 t2 t3\", \"max_tokens\": 4, \"logprobs\": 1, \"stream\": true, \"stream_options\": {\"include_usage\": true}}");
        Assert.Equal(HttpStatusCode.OK, status);
        var chunks = Sse.JsonChunks(body).Where(c => c.GetProperty("choices").GetArrayLength() > 0).ToArray();

        Assert.Equal(4, chunks.Length);
        var tokens = chunks.Select(c => c.GetProperty("choices")[0].GetProperty("logprobs")).ToArray();
        Assert.Equal(["t7 ", "t8 ", "t9 ", "t10 "], tokens.Select(l => Assert.Single(l.GetProperty("tokens").EnumerateArray().ToArray()).GetString()));
        Assert.Equal([0, 3, 6, 9], tokens.Select(l => l.GetProperty("text_offset")[0].GetInt32()));
        Assert.All(tokens, l => Assert.Equal(-0.25f, l.GetProperty("token_logprobs")[0].GetSingle()));
    }

    [Fact]
    public async Task Chat_gives_content_entries_with_bytes_and_top_logprobs_whole_and_streamed()
    {
        await using var server = await TestServer.StartAsync();
        const string messages = "\"messages\": [{\"role\": \"user\", \"content\": \"hello\"}], \"max_tokens\": 3, \"logprobs\": true, \"top_logprobs\": 3";
        var whole = await OkAsync(server, "/v1/chat/completions", $"{{{messages}}}");
        var content = whole.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("content").EnumerateArray().ToArray();
        Assert.Equal(3, content.Length);
        var first = content[0];
        var token = first.GetProperty("token").GetString()!;
        Assert.Equal(Encoding.UTF8.GetBytes(token).Select(b => (int)b), first.GetProperty("bytes").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(-0.25f, first.GetProperty("logprob").GetSingle());
        var top = first.GetProperty("top_logprobs").EnumerateArray().ToArray();
        Assert.Equal([-0.25f, -0.5f, -0.75f], top.Select(t => t.GetProperty("logprob").GetSingle()));
        Assert.Equal(token, top[0].GetProperty("token").GetString());

        var (status, body) = await PostAsync(server, "/v1/chat/completions", $"{{{messages}, \"stream\": true}}");
        Assert.Equal(HttpStatusCode.OK, status);
        var choices = Sse.JsonChunks(body).Select(c => c.GetProperty("choices")[0]).ToArray();
        Assert.Equal(JsonValueKind.Null, choices[0].GetProperty("logprobs").ValueKind); // the role chunk
        var streamed = choices.Skip(1).Select(c => Assert.Single(c.GetProperty("logprobs").GetProperty("content").EnumerateArray().ToArray())).ToArray();
        Assert.Equal(content.Select(c => c.GetRawText()), streamed.Select(c => c.GetRawText()));
    }

    [Theory]
    [InlineData("/v1/completions", "\"logprobs\": 21", "logprobs")]
    [InlineData("/v1/completions", "\"logprobs\": -1", "logprobs")]
    [InlineData("/v1/completions", "\"logprobs\": \"5\"", "logprobs")]
    [InlineData("/v1/completions", "\"top_logprobs\": 2", "top_logprobs")]
    [InlineData("/v1/chat/completions", "\"logprobs\": 3", "logprobs")]
    [InlineData("/v1/chat/completions", "\"top_logprobs\": 2", "top_logprobs")]
    [InlineData("/v1/chat/completions", "\"logprobs\": true, \"top_logprobs\": 21", "top_logprobs")]
    public async Task Malformed_logprobs_requests_get_400_naming_the_field(string path, string field, string param)
    {
        await using var server = await TestServer.StartAsync();
        var input = path.Contains("chat", StringComparison.Ordinal) ? "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]" : "\"prompt\": \"t1\"";
        var (status, body) = await PostAsync(server, path, $"{{{input}, \"max_tokens\": 1, {field}}}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(param, JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("param").GetString());
    }

    [Theory]
    [InlineData("/v1/completions", "\"prompt\": \"t1\", \"logprobs\": 1")]
    [InlineData("/v1/chat/completions", "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"logprobs\": true")]
    public async Task An_engine_without_logprobs_refuses_them_in_one_sentence(string path, string fields)
    {
        await using var server = await TestServer.StartAsync(new ScriptedEngine { ComputesLogprobs = false });
        var (status, body) = await PostAsync(server, path, $"{{{fields}, \"max_tokens\": 1}}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal("logprobs", error.GetProperty("param").GetString());
        Assert.Equal("unsupported_parameter", error.GetProperty("code").GetString());
        Assert.Contains(LlmBench.Engine.LlmEngine.LogprobsUnsupported, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        var (plainStatus, _) = await PostAsync(server, path, $"{{{fields.Replace("\"logprobs\": 1", "\"logprobs\": null", StringComparison.Ordinal).Replace("true", "false", StringComparison.Ordinal)}, \"max_tokens\": 1}}");
        Assert.Equal(HttpStatusCode.OK, plainStatus);
    }
}
