using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LlmBench.Engine.Api;

namespace LlmBench.Cli.Tests.Serving;

/// <summary>
/// transformers' tiny Qwen3 has no tokenizer (vocab 1024): `llmbench serve` still runs it on token-id prompts, as vLLM
/// does, and its greedy continuations over HTTP are transformers' own (golden.json) and the engine's when driven directly.
/// </summary>
public class ServeTokenIdTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Args = [Fixtures.GoldenQwen3, "--max-model-len", "512", "--max-num-seqs", "8", "--max-num-batched-tokens", "512"];

    [Fact]
    public async Task Greedy_completions_over_http_equal_the_engine_and_transformers()
    {
        var cases = GoldenCases();
        await using var run = await ServeRun.StartAsync(Args);

        var overHttp = await Task.WhenAll(cases.Select(async c =>
        {
            using var response = await run.Http.PostAsJsonAsync("v1/completions",
                new { prompt = c.Prompt, max_tokens = c.Greedy.Length, temperature = 0, ignore_eos = true, return_token_ids = true }, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
            var choice = doc.RootElement.GetProperty("choices")[0];
            Assert.Equal("", choice.GetProperty("text").GetString());
            return choice.GetProperty("token_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        }));
        var direct = DriveEngineDirectly(cases);

        for (int i = 0; i < cases.Length; i++)
        {
            Assert.Equal(direct[i], overHttp[i]);
            Assert.Equal(cases[i].Greedy, overHttp[i]);
        }

        Assert.Contains("token-id prompts only", run.StartupLog, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v1/completions", "{\"prompt\": \"hello\", \"max_tokens\": 4}")]
    [InlineData("v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"hello\"}], \"max_tokens\": 4}")]
    public async Task Text_without_a_tokenizer_gets_a_400_that_says_to_send_token_ids(string path, string json)
    {
        await using var run = await ServeRun.StartAsync(Args);
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await run.Http.PostAsync(path, content, Ct);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("without a tokenizer", doc.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private sealed record GoldenCase(int[] Prompt, int[] Greedy);

    private static GoldenCase[] GoldenCases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures.GoldenQwen3, "golden.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray()
            .Select(c => new GoldenCase(Ids(c.GetProperty("prompt_ids")), Ids(c.GetProperty("greedy_ids"))))
            .ToArray();
    }

    private static int[] Ids(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    /// <summary>The same model opened the same way, stepped by hand: what the server must return, minus HTTP.</summary>
    private static int[][] DriveEngineDirectly(GoldenCase[] cases)
    {
        var (_, specs) = ServeCommand.Bind(CliApp.BuildRoot().Parse(["serve", .. Args, "--device", "cpu"]));
        using var opened = EngineHost.Open(Assert.Single(specs));
        var tokens = cases.Select(_ => new List<int>()).ToArray();
        for (int i = 0; i < cases.Length; i++)
            opened.Engine.AddRequest(new GenerationRequest($"r{i}", cases[i].Prompt, SamplingParams.Greedy(cases[i].Greedy.Length, ignoreEos: true)));
        while (opened.Engine.HasUnfinishedRequests)
        {
            foreach (var e in opened.Engine.Step())
            {
                if (e.TokenId >= 0)
                    tokens[int.Parse(e.RequestId.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture)].Add(e.TokenId);
            }
        }

        return tokens.Select(t => t.ToArray()).ToArray();
    }
}
