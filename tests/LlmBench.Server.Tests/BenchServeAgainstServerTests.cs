using LlmBench.LoadGen.Datasets;
using LlmBench.LoadGen.Runner;
using LlmBench.Reports.Results;
using LlmBench.Reports.Serving;
using LlmBench.Server.Tests.Fakes;

namespace LlmBench.Server.Tests;

/// <summary>The load generator against our own server, end to end over loopback.</summary>
public class BenchServeAgainstServerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("openai")]
    [InlineData("openai-chat")]
    public async Task Every_request_succeeds_with_exactly_max_tokens_under_ignore_eos(string backend)
    {
        await using var server = await TestServer.StartAsync(new ScriptedEngine(maxModelLength: 256));
        var settings = new BenchServeSettings
        {
            Backend = backend,
            BaseUrl = server.Server.BaseUrl.ToString(),
            Model = TestServer.Model,
            Dataset = new DatasetOptions { NumPrompts = 40, RandomInputLength = 24, RandomOutputLength = 16, RandomRangeRatio = 0.25, Seed = 2 },
            MaxConcurrency = 8,
            IgnoreEos = true,
            NumWarmups = 2,
            PercentileMetrics = ["ttft", "tpot", "itl", "e2el"],
        };
        settings.Validate();
        // Ids 1–99 are ordinary words of the test tokenizer (0 is EOS).
        var benchmark = new ServeBenchmark(settings, TestServer.Model, new WordTokenizer(), WordTokenizer.VocabularySize);
        var requests = benchmark.SampleRequests();
        var result = await benchmark.RunAsync(requests, new RunProgress { Total = requests.Count }, TextWriter.Null, ResultConfiguration.None, Ct);

        Assert.Equal(40, result.Metrics.Completed);
        Assert.Equal(0, result.Metrics.Failed);
        Assert.All(result.Records, r => Assert.Equal(requests[r.Index].ExpectedOutputTokens, r.OutputTokens));
        Assert.All(result.Records, r => Assert.True(r.OutputTokensFromUsage));
        Assert.Equal(requests.Sum(r => r.ExpectedOutputTokens), result.Metrics.TotalOutputTokens);
        // Chat prompts are wrapped in the chat template on the server, so only completions see the client's token counts.
        if (backend == "openai")
            Assert.Equal(requests.Sum(r => r.PromptTokens), result.Metrics.TotalInputTokens);
        Assert.InRange(result.Metrics.MaxConcurrentRequests, 1, 8);
        Assert.True(ServingConstraints.Evaluate(result.Metrics).Single(c => c.Key == "success_rate_percent").Passed);
    }
}
