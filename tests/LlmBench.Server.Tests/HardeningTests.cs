using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using LlmBench.Server.Tests.Fakes;

namespace LlmBench.Server.Tests;

/// <summary>Client errors that once were 500s, fields the server does not implement, 405 (issue 11).</summary>
public class HardeningTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(HttpStatusCode Status, JsonElement Error, HttpResponseMessage Response)> SendAsync(TestServer server, HttpMethod method, string path, HttpContent? content)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        var response = await server.Http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        using var doc = JsonDocument.Parse(text);
        return (response.StatusCode, doc.RootElement.GetProperty("error").Clone(), response);
    }

    private static ByteArrayContent Bytes(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>The body with its '#' as invalid UTF-8 bytes, and as an escaped lone surrogate.</summary>
    private static byte[][] InvalidTextBodies(string jsonWithMarker, string surrogate) =>
    [
        [.. Encoding.UTF8.GetBytes(jsonWithMarker).SelectMany(b => b == (byte)'#' ? new byte[] { 0xC3, 0x28, 0xFF } : [b])],
        Encoding.UTF8.GetBytes(jsonWithMarker.Replace("#", surrogate, StringComparison.Ordinal)),
    ];

    private static async Task<JsonElement> BadRequestErrorAsync(TestServer server, string path, byte[] body)
    {
        var (status, error, response) = await SendAsync(server, HttpMethod.Post, path, Bytes(body));
        response.Dispose();
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        return error;
    }

    [Theory]
    [InlineData("/v1/completions", "{\"prompt\": \"t1 #\", \"max_tokens\": 1}", "prompt")]
    [InlineData("/v1/completions", "{\"prompt\": [\"t1 #\"], \"max_tokens\": 1}", "prompt")]
    [InlineData("/v1/completions", "{\"prompt\": \"t1\", \"max_tokens\": 1, \"stop\": \"#\"}", "stop")]
    [InlineData("/v1/completions", "{\"prompt\": \"t1\", \"max_tokens\": 1, \"stop\": [\"a\", \"#\"]}", "stop")]
    [InlineData("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"hi #\"}], \"max_tokens\": 1}", "messages[0].content")]
    [InlineData("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"#\"}]}], \"max_tokens\": 1}", "messages[0].content")]
    [InlineData("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"stop\": \"#\", \"max_tokens\": 1}", "stop")]
    public async Task Invalid_utf8_and_lone_surrogates_get_400_naming_the_field(string path, string json, string param)
    {
        await using var server = await TestServer.StartAsync();
        foreach (var body in InvalidTextBodies(json, "\\ud800"))
            Assert.Equal(param, (await BadRequestErrorAsync(server, path, body)).GetProperty("param").GetString());
    }

    [Theory]
    [InlineData("/v1/completions", "{\"model\": \"#\", \"prompt\": \"t1\"}")]
    [InlineData("/v1/chat/completions", "{\"messages\": [{\"role\": \"#\", \"content\": \"x\"}]}")]
    [InlineData("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"chat_template_kwargs\": {\"#\": 1}}")]
    public async Task Invalid_text_in_other_places_is_a_400_too(string path, string json)
    {
        await using var server = await TestServer.StartAsync();
        foreach (var body in InvalidTextBodies(json, "\\udc00"))
            await BadRequestErrorAsync(server, path, body);
    }

    [Theory]
    [InlineData("/v1/completions", "\"echo\": true", "echo")]
    [InlineData("/v1/completions", "\"echo\": false", null)]
    [InlineData("/v1/completions", "\"best_of\": 2", "best_of")]
    [InlineData("/v1/completions", "\"best_of\": 1", null)]
    [InlineData("/v1/chat/completions", "\"logprobs\": false, \"top_logprobs\": 3", "top_logprobs")]
    [InlineData("/v1/chat/completions", "\"response_format\": {\"type\": \"json_object\"}", "response_format")]
    [InlineData("/v1/chat/completions", "\"response_format\": {\"type\": \"text\"}", null)]
    [InlineData("/v1/chat/completions", "\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\"}}]", "tools")]
    [InlineData("/v1/chat/completions", "\"tools\": []", null)]
    [InlineData("/v1/chat/completions", "\"chat_template_kwargs\": {\"enable_thinking\": \"no\"}", "chat_template_kwargs.enable_thinking")]
    [InlineData("/v1/chat/completions", "\"chat_template_kwargs\": {\"add_vision_id\": true}", "chat_template_kwargs.add_vision_id")]
    public async Task Fields_the_server_does_not_implement_get_400_naming_them(string path, string field, string? param)
    {
        await using var server = await TestServer.StartAsync();
        var input = path.Contains("chat", StringComparison.Ordinal) ? "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]" : "\"prompt\": \"t1\"";
        using var response = await server.Http.PostAsync(path, new StringContent($"{{{input}, \"max_tokens\": 1, {field}}}", Encoding.UTF8, "application/json"), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        if (param is null)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return;
        }

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Contains(param, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enable_thinking_false_adds_the_empty_think_block_to_the_prompt()
    {
        await using var server = await TestServer.StartAsync();
        async Task<int> PromptTokensAsync(object? kwargs)
        {
            using var response = await server.Http.PostAsJsonAsync("/v1/chat/completions",
                new { messages = new[] { new { role = "user", content = "hello" } }, max_tokens = 1, chat_template_kwargs = kwargs }, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32();
        }

        var thinking = await PromptTokensAsync(null);
        Assert.Equal(thinking, await PromptTokensAsync(new { enable_thinking = true }));
        Assert.Equal(thinking + 2, await PromptTokensAsync(new { enable_thinking = false }));
    }

    [Theory]
    [InlineData("GET", "/v1/completions", "POST")]
    [InlineData("GET", "/v1/chat/completions", "POST")]
    [InlineData("DELETE", "/v1/completions", "POST")]
    [InlineData("POST", "/v1/models", "GET")]
    public async Task The_wrong_method_on_a_route_gets_405_with_allow(string method, string path, string allow)
    {
        await using var server = await TestServer.StartAsync();
        var (status, error, response) = await SendAsync(server, new HttpMethod(method), path, null);
        using (response)
        {
            Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
            Assert.Equal(allow, string.Join(",", response.Content.Headers.Allow));
            Assert.Contains(allow, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_body_sent_too_slowly_gets_408_and_the_server_keeps_serving()
    {
        await using var server = await TestServer.StartAsync(configure: o => o with { MinRequestBodyBytesPerSecond = 1000, RequestBodyGracePeriod = TimeSpan.FromSeconds(1.5) });
        using var client = new TcpClient();
        await client.ConnectAsync(server.Server.BaseUrl.Host, server.Server.BaseUrl.Port, Ct);
        var stream = client.GetStream();
        var head = "POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"prompt\": \"";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), Ct);
        var answer = new StringBuilder();
        var buffer = new byte[4096];
        var readTask = stream.ReadAsync(buffer, Ct).AsTask();
        for (int i = 0; i < 100 && !readTask.IsCompleted; i++)
        {
            try
            {
                await stream.WriteAsync("t"u8.ToArray(), Ct);
            }
            catch (IOException)
            {
                break;
            }

            await Task.WhenAny(readTask, Task.Delay(100, Ct));
        }

        var n = await readTask.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        answer.Append(Encoding.UTF8.GetString(buffer, 0, n));
        Assert.StartsWith("HTTP/1.1 408", answer.ToString(), StringComparison.Ordinal);

        using var ok = await server.Http.PostAsJsonAsync("/v1/completions", new { prompt = "t1", max_tokens = 1 }, Ct);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }
}
