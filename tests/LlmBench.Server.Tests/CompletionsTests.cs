using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LlmBench.Server.Tests.Fakes;

namespace LlmBench.Server.Tests;

public class CompletionsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> PostJsonAsync(TestServer server, string path, object body)
    {
        using var response = await server.Http.PostAsJsonAsync(path, body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task Whole_completion_has_the_engine_tokens_as_text_and_usage()
    {
        await using var server = await TestServer.StartAsync();
        // Prompt ids 1, 2, 3 (sum 6): tokens 7, 8, 9, 10, 11, then EOS at index 5.
        var body = await PostJsonAsync(server, "/v1/completions", new { model = TestServer.Model, prompt = "t1 t2 t3", max_tokens = 20 });

        Assert.Equal("text_completion", body.GetProperty("object").GetString());
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("t7 t8 t9 t10 t11 ", choice.GetProperty("text").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(3, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(6, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(9, body.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task Max_tokens_ends_with_length_and_ignore_eos_runs_to_it()
    {
        await using var server = await TestServer.StartAsync();
        var shortRun = await PostJsonAsync(server, "/v1/completions", new { prompt = "t1 t2 t3", max_tokens = 3 });
        var longRun = await PostJsonAsync(server, "/v1/completions", new { prompt = new[] { 1, 2, 3 }, max_tokens = 12, ignore_eos = true });

        Assert.Equal("t7 t8 t9 ", shortRun.GetProperty("choices")[0].GetProperty("text").GetString());
        Assert.Equal("length", shortRun.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(12, longRun.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal("length", longRun.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Streaming_sends_one_chunk_per_token_then_usage_then_done()
    {
        await using var server = await TestServer.StartAsync();
        using var response = await server.Http.PostAsJsonAsync("/v1/completions",
            new { prompt = "t1 t2 t3", max_tokens = 4, stream = true, stream_options = new { include_usage = true } }, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = Sse.DataEvents(body);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = Sse.JsonChunks(body);
        Assert.Equal(5, chunks.Count);
        Assert.Equal(["t7 ", "t8 ", "t9 ", "t10 "], chunks.Take(4).Select(c => c.GetProperty("choices")[0].GetProperty("text").GetString()));
        Assert.Equal("length", chunks[3].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(JsonValueKind.Null, chunks[0].GetProperty("choices")[0].GetProperty("finish_reason").ValueKind);
        Assert.Equal(0, chunks[4].GetProperty("choices").GetArrayLength());
        Assert.Equal(4, chunks[4].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
    }

    [Fact]
    public async Task Streaming_without_include_usage_sends_no_usage_chunk()
    {
        await using var server = await TestServer.StartAsync();
        using var response = await server.Http.PostAsJsonAsync("/v1/completions", new { prompt = "t1", max_tokens = 2, stream = true }, Ct);
        var chunks = Sse.JsonChunks(await response.Content.ReadAsStringAsync(Ct));

        Assert.Equal(2, chunks.Count);
        Assert.All(chunks, c => Assert.Equal(1, c.GetProperty("choices").GetArrayLength()));
    }

    [Fact]
    public async Task A_stop_string_cuts_the_text_before_it_and_aborts_the_engine_request()
    {
        // Slow steps, so the engine is still generating when the stop string matches.
        await using var server = await TestServer.StartAsync(new ScriptedEngine(maxModelLength: 4096, stepDelayMs: 5));
        var body = await PostJsonAsync(server, "/v1/completions", new { prompt = "t1 t2 t3", max_tokens = 500, ignore_eos = true, stop = new[] { "t9", "zz" } });

        Assert.Equal("t7 t8 ", body.GetProperty("choices")[0].GetProperty("text").GetString());
        Assert.Equal("stop", body.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(3, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        await WaitForAsync(() => server.Engine.ActiveCount == 0);
        Assert.Single(server.Engine.Aborted);
    }

    [Fact]
    public async Task Streamed_text_never_includes_a_stop_string_split_across_tokens()
    {
        await using var server = await TestServer.StartAsync();
        using var response = await server.Http.PostAsJsonAsync("/v1/completions",
            new { prompt = "t1 t2 t3", max_tokens = 20, ignore_eos = true, stream = true, stop = "8 t9" }, Ct);
        var chunks = Sse.JsonChunks(await response.Content.ReadAsStringAsync(Ct));
        var text = string.Concat(chunks.Select(c => c.GetProperty("choices")[0].GetProperty("text").GetString()));

        Assert.Equal("t7 t", text);
        Assert.Equal("stop", chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Min_tokens_holds_stop_strings_back()
    {
        await using var server = await TestServer.StartAsync();
        var body = await PostJsonAsync(server, "/v1/completions", new { prompt = "t1 t2 t3", max_tokens = 8, ignore_eos = true, stop = "t7", min_tokens = 2 });

        // "t7" completes at the first token, before min_tokens: it is ignored, and never matches again.
        Assert.Equal("t7 t8 t9 t10 t11 t12 t13 t14 ", body.GetProperty("choices")[0].GetProperty("text").GetString());
    }

    internal static async Task WaitForAsync(Func<bool> condition)
    {
        for (int i = 0; i < 200 && !condition(); i++)
            await Task.Delay(25, Ct);
        Assert.True(condition());
    }
}
