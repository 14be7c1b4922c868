using LlmBench.LoadGen.Client;
using LlmBench.LoadGen.Datasets;
using LlmBench.Reports.Results;
using LlmBench.Reports.Serving;
using LlmBench.Text.Tokenization;

namespace LlmBench.LoadGen.Runner;

/// <summary>
/// One `bench serve` run from settings to frozen result: samples the dataset, serializes the bodies,
/// prints vLLM's traffic lines, runs, and measures. Server start and model discovery happen before,
/// printing and saving after (the CLI does those).
/// </summary>
public sealed class ServeBenchmark(BenchServeSettings settings, string modelId, ITextTokenizer tokenizer, int tokenIdLimit)
{
    /// <summary>The same model, tokenizer and requests at another load of a sweep.</summary>
    public ServeBenchmark At(LoadPoint point) => new(settings.At(point), modelId, tokenizer, tokenIdLimit);

    public IReadOnlyList<BenchRequest> SampleRequests() => DatasetFactory.Sample(settings.Dataset, tokenizer, tokenIdLimit);

    public async Task<ServingResult> RunAsync(
        IReadOnlyList<BenchRequest> requests, RunProgress progress, TextWriter log, ResultConfiguration configuration, CancellationToken cancellationToken)
    {
        var builder = new RequestBodyBuilder(settings.Backend, settings.ServedModelName ?? modelId, settings.IgnoreEos, settings.Sampling, settings.Logprobs);
        var plan = new RunPlan
        {
            Requests = requests.Select(builder.Build).ToArray(),
            FixedOffsets = settings.FixedSchedule
                ? requests.Select(r => r.TimestampSeconds ?? throw new UserErrorException("--fixed-schedule: an entry of the trace has no timestamp; give every entry one, or leave --fixed-schedule out to replay its lengths at --request-rate.")).ToArray()
                : null,
            RequestRate = settings.RequestRate,
            Burstiness = settings.Burstiness,
            RampUp = settings.RampUp,
            Seed = settings.Dataset.Seed,
            MaxConcurrency = settings.MaxConcurrency,
            NumWarmups = settings.NumWarmups,
            DurationSeconds = settings.DurationSeconds,
            RequestIdPrefix = settings.RequestIdPrefix ?? $"bench-{Guid.NewGuid().ToString("N")[..8]}-",
        };
        plan.Validate();

        var connections = settings.MaxConcurrency ?? (settings.DurationSeconds is null ? requests.Count : 1024);
        using var client = new StreamingClient(settings.ApiUrl, settings.ApiKey, connections, settings.Headers);
        await InitialTestAsync(client, plan, log, cancellationToken);

        var date = DateTime.Now.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        if (settings.FixedSchedule)
            await log.WriteLineAsync($"Traffic: fixed schedule of the trace, {requests.Count} requests over {plan.FixedOffsets![^1]:F1} s");
        else
            await log.WriteLineAsync($"Traffic request rate: {PythonFloat(settings.RequestRate)}");
        if (settings.RampUp is { } ramp)
            await log.WriteLineAsync($"Traffic ramp-up strategy: {ramp.Strategy}. Will increase RPS from {PythonFloat(ramp.StartRps)} to {PythonFloat(ramp.EndRps)} RPS over the duration of the benchmark.");
        await log.WriteLineAsync($"Burstiness factor: {PythonFloat(settings.Burstiness)} ({(settings.Burstiness == 1 ? "Poisson process" : "Gamma distribution")})");
        await log.WriteLineAsync($"Maximum request concurrency: {(settings.MaxConcurrency?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "None")}");

        var outcome = await new BenchmarkRunner(client).RunAsync(plan, progress, text => tokenizer.Encode(text).Length, cancellationToken);

        var info = new ServingRunInfo
        {
            Date = date,
            Backend = settings.Backend,
            Label = settings.Label,
            ModelId = modelId,
            TokenizerId = settings.Tokenizer ?? modelId,
            NumPrompts = settings.Dataset.NumPrompts,
            RequestRate = settings.RequestRate,
            Burstiness = settings.Burstiness,
            MaxConcurrency = settings.MaxConcurrency,
            DatasetName = settings.Dataset.Name,
            ApiUrl = settings.ApiUrl.ToString(),
            DurationLimitSeconds = settings.DurationSeconds,
            Metadata = settings.Metadata,
            PercentileMetrics = settings.PercentileMetrics,
            Percentiles = settings.MetricPercentiles,
            Goodput = settings.Goodput,
            LatencyFrom = settings.LatencyFrom,
            SliceDurationSeconds = settings.SliceDurationSeconds,
            SaveDetailed = settings.SaveDetailed,
            FixedSchedule = settings.FixedSchedule,
            MultiTurn = settings.Dataset.MultiTurn,
            RampUp = settings.RampUp is { } r ? new RampUpInfo(r.Strategy, r.StartRps, r.EndRps) : null,
        };
        var measured = LatencyBasis.Apply(outcome.Records, settings.LatencyFrom);
        var metrics = ServingMetrics.Compute(measured, outcome.DurationSeconds, settings.MetricPercentiles, settings.Goodput);
        return new ServingResult(info, metrics, outcome.Records, outcome.Client) { Configuration = configuration };
    }

    /// <summary>
    /// As `vllm bench serve` does before measuring: the first request once, unrecorded. A server that cannot answer it
    /// stops the run here with its error, and the run does not pay for the server's first-request costs (JIT, first
    /// connection, lazy start-up work) that no later request pays.
    /// </summary>
    private static async Task InitialTestAsync(StreamingClient client, RunPlan plan, TextWriter log, CancellationToken cancellationToken)
    {
        await log.WriteLineAsync("Starting initial single prompt test run...");
        var test = await client.SendAsync(-1, plan.RequestIdPrefix + "initial-test", plan.Requests[0], 0, 0, cancellationToken);
        if (!test.Success)
            throw new UserErrorException($"The initial test request failed ({test.Error}); check --base-url/--port, --model and the server's log.");
        await log.WriteLineAsync("Initial test run completed. Starting main benchmark run...");
    }

    /// <summary>Python's str(float): "inf", "1.0", "2.5".</summary>
    internal static string PythonFloat(double value) =>
        double.IsPositiveInfinity(value) ? "inf"
        : value == Math.Floor(value) ? value.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)
        : value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
