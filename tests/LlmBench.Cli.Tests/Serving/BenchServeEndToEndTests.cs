using System.CommandLine;
using LlmBench.LoadGen.Runner;
using LlmBench.Reports.Results;
using LlmBench.Reports.Serving;

namespace LlmBench.Cli.Tests.Serving;

/// <summary>`llmbench bench serve` against `llmbench serve` on the CPU engine: flags parsed as the CLI parses them, model found through /v1/models.</summary>
public class BenchServeEndToEndTests(WideModelServer server) : IClassFixture<WideModelServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("openai")]
    [InlineData("openai-chat")]
    public async Task Every_request_completes_with_exactly_the_random_output_length(string backend)
    {
        var options = new BenchServeOptions();
        var command = new Command("serve");
        options.AddTo(command);
        var settings = options.Bind(command.Parse([
            "--backend", backend, "--base-url", server.Run.BaseUrl.ToString(), "--tokenizer", Fixtures.WideQwen3,
            "--num-prompts", "16", "--random-input-len", "32", "--random-output-len", "12", "--max-concurrency", "8",
            "--ignore-eos", "--seed", "3", "--percentile-metrics", "ttft,tpot,itl,e2el",
        ]));

        var (benchmark, requests) = await BenchServeCommand.PrepareAsync(settings, Ct);
        var result = await benchmark.RunAsync(requests, new RunProgress { Total = requests.Count }, TextWriter.Null, ResultConfiguration.None, Ct);

        Assert.Equal(WideModelServer.Model, result.Info.ModelId);
        Assert.Equal(16, result.Metrics.Completed);
        Assert.Equal(0, result.Metrics.Failed);
        Assert.All(result.Records, r => Assert.Equal(12, r.OutputTokens));
        Assert.All(result.Records, r => Assert.True(r.OutputTokensFromUsage));
        Assert.Equal(16 * 12, result.Metrics.TotalOutputTokens);
        if (backend == "openai")
            Assert.Equal(requests.Sum(r => r.PromptTokens), result.Metrics.TotalInputTokens);
        Assert.InRange(result.Metrics.MaxConcurrentRequests, 1, 8);
        Assert.True(result.Metrics.OutputThroughput > 0);
        Assert.True(ServingConstraints.Evaluate(result.Metrics).Single(c => c.Key == "success_rate_percent").Passed);
    }
}
