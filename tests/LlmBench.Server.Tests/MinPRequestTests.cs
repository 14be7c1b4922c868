using System.Net;
using System.Text;
using System.Text.Json;
using LlmBench.Server.Tests.Fakes;

namespace LlmBench.Server.Tests;

/// <summary>min_p (vLLM's sampling extra) reaches the engine's sampling parameters, and a value outside [0, 1] is a 400.</summary>
public class MinPRequestTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("0.05", HttpStatusCode.OK)]
    [InlineData("1.5", HttpStatusCode.BadRequest)]
    [InlineData("-0.1", HttpStatusCode.BadRequest)]
    public async Task Min_p_is_validated_like_every_sampling_value(string minP, HttpStatusCode expected)
    {
        await using var server = await TestServer.StartAsync();
        using var response = await server.Http.PostAsync("/v1/completions",
            new StringContent($"{{\"prompt\": \"t1\", \"max_tokens\": 1, \"temperature\": 0.7, \"min_p\": {minP}}}", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.BadRequest)
            Assert.Contains("min_p", JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
