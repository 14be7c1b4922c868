using System.Net;
using System.Text;
using System.Text.Json;
using LlmBench.Server.Tests.Fakes;

namespace LlmBench.Server.Tests;

public class ErrorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(HttpStatusCode Status, JsonElement Error)> PostRawAsync(TestServer server, string path, string json, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (bearer is not null)
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        using var response = await server.Http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        using var doc = JsonDocument.Parse(text);
        var error = doc.RootElement.GetProperty("error").Clone();
        Assert.Equal(JsonValueKind.String, error.GetProperty("message").ValueKind);
        Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
        Assert.True(error.TryGetProperty("param", out _));
        Assert.True(error.TryGetProperty("code", out _));
        return (response.StatusCode, error);
    }

    [Theory]
    [InlineData("/v1/completions", "{\"prompt\": \"t1\", ", null)]
    [InlineData("/v1/completions", "[1, 2]", null)]
    [InlineData("/v1/completions", "null", null)]
    [InlineData("/v1/completions", "{\"prompt\": \"t1\", \"max_tokens\": \"ten\"}", null)]
    [InlineData("/v1/completions", "{\"prompt\": \"t1\", \"max_tokens\": 1.5}", null)]
    [InlineData("/v1/completions", "{\"model\": \"gpt-4\", \"prompt\": \"t1\"}", "model")]
    [InlineData("/v1/completions", "{\"prompt\": \"t1\", \"n\": 2}", "n")]
    [InlineData("/v1/completions", "{\"prompt\": \"t1\", \"temperature\": -1}", null)]
    [InlineData("/v1/completions", "{\"prompt\": \"t1\", \"top_p\": 0}", null)]
    [InlineData("/v1/completions", "{\"prompt\": \"t1\", \"top_k\": -5}", null)]
    [InlineData("/v1/completions", "{\"prompt\": \"t1\", \"max_tokens\": 0}", "max_tokens")]
    [InlineData("/v1/completions", "{\"prompt\": \"t1\", \"max_tokens\": 5, \"min_tokens\": 6}", null)]
    [InlineData("/v1/completions", "{\"prompt\": \"t1\", \"max_tokens\": 64}", "max_tokens")]
    [InlineData("/v1/completions", "{\"prompt\": [1, 2, 100]}", "prompt")]
    [InlineData("/v1/completions", "{\"prompt\": [-1]}", "prompt")]
    [InlineData("/v1/completions", "{\"prompt\": [\"a\", \"b\"]}", "prompt")]
    [InlineData("/v1/completions", "{\"prompt\": \"\"}", "prompt")]
    [InlineData("/v1/completions", "{\"prompt\": {\"x\": 1}}", "prompt")]
    [InlineData("/v1/completions", "{}", "prompt")]
    [InlineData("/v1/completions", "{\"prompt\": \"t1\", \"stop\": [\"\"]}", "stop")]
    [InlineData("/v1/completions", "{\"prompt\": \"t1\", \"stop\": 5}", "stop")]
    [InlineData("/v1/completions", "{\"prompt\": \"t1\", \"stop_token_ids\": [500]}", "stop_token_ids")]
    [InlineData("/v1/chat/completions", "{\"messages\": []}", "messages")]
    [InlineData("/v1/chat/completions", "{\"messages\": [{\"role\": \"wizard\", \"content\": \"x\"}]}", "messages")]
    [InlineData("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image_url\"}]}]}", "messages")]
    [InlineData("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": 7}]}", "messages")]
    public async Task Bad_requests_get_400_with_an_openai_error_body(string path, string json, string? param)
    {
        await using var server = await TestServer.StartAsync();
        var (status, error) = await PostRawAsync(server, path, json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        if (param is not null)
            Assert.Equal(param, error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task A_prompt_longer_than_the_context_names_the_limit()
    {
        await using var server = await TestServer.StartAsync();
        var prompt = string.Join(' ', Enumerable.Repeat("t1", 70));
        var (status, error) = await PostRawAsync(server, "/v1/completions", $"{{\"prompt\": \"{prompt}\"}}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("maximum context length is 64 tokens", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("context_length_exceeded", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_body_over_the_limit_gets_413()
    {
        await using var server = await TestServer.StartAsync(configure: o => o with { MaxRequestBodyBytes = 4096 });
        var (status, error) = await PostRawAsync(server, "/v1/completions", $"{{\"prompt\": \"{new string('x', 10_000)}\"}}");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("4096 bytes", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_api_key_v1_gets_401_but_health_stays_open()
    {
        await using var server = await TestServer.StartAsync(configure: o => o with { ApiKey = "sekret" });

        var (missing, error) = await PostRawAsync(server, "/v1/completions", "{\"prompt\": \"t1\", \"max_tokens\": 1}");
        var (wrong, _) = await PostRawAsync(server, "/v1/completions", "{\"prompt\": \"t1\", \"max_tokens\": 1}", bearer: "nope");
        Assert.Equal(HttpStatusCode.Unauthorized, missing);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong);
        Assert.Equal("authentication_error", error.GetProperty("type").GetString());

        using var ok = new HttpRequestMessage(HttpMethod.Post, "/v1/completions") { Content = new StringContent("{\"prompt\": \"t1\", \"max_tokens\": 1}") };
        ok.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "sekret");
        Assert.Equal(HttpStatusCode.OK, (await server.Http.SendAsync(ok, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/health", Ct)).StatusCode);
    }

    [Fact]
    public async Task Unknown_routes_get_404_with_an_error_body()
    {
        await using var server = await TestServer.StartAsync();
        var (status, error) = await PostRawAsync(server, "/v1/embeddings", "{}");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("/v1/completions", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
