using LlmBench.LoadGen.Client;
using LlmBench.LoadGen.Datasets;
using LlmBench.LoadGen.Runner;
using LlmBench.LoadGen.Tests.Fakes;

namespace LlmBench.LoadGen.Tests.Runner;

/// <summary>Runs the real client and runner against a <see cref="ScriptedServer"/>.</summary>
internal static class RunHarness
{
    public static int IndexOf(string requestId) => int.Parse(requestId[(requestId.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    public static RunPlan Plan(int count, int? maxConcurrency = null, int warmups = 0, double rate = double.PositiveInfinity, double? durationSeconds = null)
    {
        var builder = new RequestBodyBuilder("openai", "scripted-model", ignoreEos: true, SamplingOverrides.None);
        var requests = Enumerable.Range(0, count).Select(i => builder.Build(new BenchRequest($"prompt {i}", 10 + i, 4))).ToArray();
        return new RunPlan { Requests = requests, MaxConcurrency = maxConcurrency, NumWarmups = warmups, RequestRate = rate, DurationSeconds = durationSeconds };
    }

    public static async Task<RunOutcome> RunAsync(ScriptedServer server, RunPlan plan, string? apiKey = null, Func<string, int>? countTokens = null)
    {
        using var client = new StreamingClient(server.CompletionsUrl, apiKey, plan.MaxConcurrency ?? 64);
        var runner = new BenchmarkRunner(client);
        return await runner.RunAsync(plan, new RunProgress { Total = plan.Requests.Count }, countTokens, TestContext.Current.CancellationToken);
    }
}
