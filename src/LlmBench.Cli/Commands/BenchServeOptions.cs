using System.CommandLine;
using System.Globalization;
using LlmBench.LoadGen.Client;
using LlmBench.LoadGen.Datasets;
using LlmBench.LoadGen.Runner;
using LlmBench.Reports.Serving;

namespace LlmBench.Cli;

/// <summary>The flags of `vllm bench serve` that `bench serve` accepts, plus ours, and their binding to settings.</summary>
internal sealed class BenchServeOptions
{
    public readonly Option<string> Backend = new("--backend") { Description = "openai (/v1/completions) or openai-chat (/v1/chat/completions).", DefaultValueFactory = _ => "openai" };
    public readonly Option<string?> BaseUrl = new("--base-url") { Description = "Server base URL, e.g. http://10.0.0.5:8000 (instead of --host/--port)." };
    public readonly Option<string> Host = new("--host") { Description = "Server host.", DefaultValueFactory = _ => "127.0.0.1" };
    public readonly Option<int> Port = new("--port") { Description = "Server port.", DefaultValueFactory = _ => 8000 };
    public readonly Option<string?> Endpoint = new("--endpoint") { Description = "API path; defaults to the backend's (/v1/completions or /v1/chat/completions)." };
    public readonly Option<string?> Model = new("--model") { Description = "Model name to send; defaults to the first model of the server's /v1/models." };
    public readonly Option<string?> Tokenizer = new("--tokenizer") { Description = "Tokenizer (model directory or tokenizer.json) for prompt lengths; defaults to --model." };
    public readonly Option<string?> Label = new("--label") { Description = "Result label (file name prefix); defaults to the backend." };
    public readonly Option<string> DatasetName = new("--dataset-name") { Description = "random, sonnet, sharegpt or custom.", DefaultValueFactory = _ => "random" };
    public readonly Option<string?> DatasetPath = new("--dataset-path") { Description = "File for sharegpt (JSON) or custom (JSONL with \"prompt\")." };
    public readonly Option<int> NumPrompts = new("--num-prompts") { Description = "Number of requests.", DefaultValueFactory = _ => 1000 };
    public readonly Option<int> RandomInputLen = new("--random-input-len", "--input-len") { Description = "random: input tokens per request.", DefaultValueFactory = _ => 1024 };
    public readonly Option<int> RandomOutputLen = new("--random-output-len", "--output-len") { Description = "random: output tokens (max_tokens) per request.", DefaultValueFactory = _ => 128 };
    public readonly Option<double> RandomRangeRatio = new("--random-range-ratio") { Description = "random: lengths drawn from [len·(1−r), len·(1+r)].", DefaultValueFactory = _ => 0.0 };
    public readonly Option<int> RandomPrefixLen = new("--random-prefix-len") { Description = "random: tokens of a prefix shared by every prompt.", DefaultValueFactory = _ => 0 };
    public readonly Option<int> SonnetInputLen = new("--sonnet-input-len") { Description = "sonnet: input tokens per request.", DefaultValueFactory = _ => 550 };
    public readonly Option<int> SonnetOutputLen = new("--sonnet-output-len") { Description = "sonnet: output tokens per request.", DefaultValueFactory = _ => 150 };
    public readonly Option<int> SonnetPrefixLen = new("--sonnet-prefix-len") { Description = "sonnet: tokens of the shared prefix.", DefaultValueFactory = _ => 200 };
    public readonly Option<int?> SharegptOutputLen = new("--sharegpt-output-len") { Description = "sharegpt: output tokens, overriding each conversation's answer length." };
    public readonly Option<int> CustomOutputLen = new("--custom-output-len") { Description = "custom: output tokens when an entry has no output_tokens.", DefaultValueFactory = _ => 256 };
    public readonly Option<string> RequestRate = new("--request-rate") { Description = "Requests per second, or inf to send all at once.", DefaultValueFactory = _ => "inf" };
    public readonly Option<double> Burstiness = new("--burstiness") { Description = "Gamma shape of the arrivals: 1 is Poisson, below 1 burstier, above 1 more even.", DefaultValueFactory = _ => 1.0 };
    public readonly Option<int?> MaxConcurrency = new("--max-concurrency") { Description = "At most this many requests in flight." };
    public readonly Option<bool> IgnoreEos = new("--ignore-eos") { Description = "Send ignore_eos so every request generates max_tokens (always on for the random dataset, as in vLLM)." };
    public readonly Option<int> NumWarmups = new("--num-warmups") { Description = "Warm-up requests before the run (not measured).", DefaultValueFactory = _ => 0 };
    public readonly Option<int> Seed = new("--seed") { Description = "Seed of the dataset and the arrivals.", DefaultValueFactory = _ => 0 };
    public readonly Option<string> PercentileMetrics = new("--percentile-metrics") { Description = "Metrics to report percentiles of: ttft, tpot, itl, e2el, client_queue_time. TPOT = (E2EL − TTFT)/(tokens − 1); ITL = gaps between chunks (vLLM's definitions).", DefaultValueFactory = _ => "ttft,tpot,itl" };
    public readonly Option<string> MetricPercentiles = new("--metric-percentiles") { Description = "Percentiles to report, e.g. 50,90,99.", DefaultValueFactory = _ => "99" };
    public readonly Option<string[]> Goodput = new("--goodput") { Description = "SLOs for goodput as KEY:MS pairs (ttft, tpot, e2el).", AllowMultipleArgumentsPerToken = true };
    public readonly Option<bool> SaveResult = new("--save-result") { Description = "Save the result JSON (vLLM's keys; ours, with a local server's GPU telemetry, under \"llmbench\") and per-request JSONL." };
    public readonly Option<string?> ResultDir = new("--result-dir") { Description = "Directory for --save-result files." };
    public readonly Option<string?> ResultFilename = new("--result-filename") { Description = "File name of the result JSON." };
    public readonly Option<string[]> Metadata = new("--metadata") { Description = "KEY=VALUE pairs saved in the result JSON.", AllowMultipleArgumentsPerToken = true };
    public readonly Option<double?> Duration = new("--duration") { Description = "Run for this many seconds, cycling the prompts (ours)." };
    public readonly Option<string?> ApiKey = new("--api-key") { Description = "Bearer token for the server (ours; also read from OPENAI_API_KEY)." };
    public readonly Option<string?> Launch = new("--launch") { Description = "Start this server command, wait for /health (up to 240 s), run, then stop it (ours)." };
    public readonly Option<double?> Temperature = new("--temperature") { Description = "Sampling temperature to send." };
    public readonly Option<double?> TopP = new("--top-p") { Description = "top_p to send." };
    public readonly Option<int?> TopK = new("--top-k") { Description = "top_k to send." };

    public void AddTo(Command command)
    {
        Option[] all =
        [
            Backend, BaseUrl, Host, Port, Endpoint, Model, Tokenizer, Label, DatasetName, DatasetPath, NumPrompts,
            RandomInputLen, RandomOutputLen, RandomRangeRatio, RandomPrefixLen, SonnetInputLen, SonnetOutputLen, SonnetPrefixLen,
            SharegptOutputLen, CustomOutputLen, RequestRate, Burstiness, MaxConcurrency, IgnoreEos, NumWarmups, Seed,
            PercentileMetrics, MetricPercentiles, Goodput, SaveResult, ResultDir, ResultFilename, Metadata, Duration,
            ApiKey, Launch, Temperature, TopP, TopK,
        ];
        foreach (var option in all)
            command.Options.Add(option);
    }

    public BenchServeSettings Bind(ParseResult p)
    {
        var dataset = new DatasetOptions
        {
            Name = p.GetValue(DatasetName)!,
            Path = p.GetValue(DatasetPath),
            NumPrompts = p.GetValue(NumPrompts),
            Seed = p.GetValue(Seed),
            RandomInputLength = p.GetValue(RandomInputLen),
            RandomOutputLength = p.GetValue(RandomOutputLen),
            RandomRangeRatio = p.GetValue(RandomRangeRatio),
            RandomPrefixLength = p.GetValue(RandomPrefixLen),
            SonnetInputLength = p.GetValue(SonnetInputLen),
            SonnetOutputLength = p.GetValue(SonnetOutputLen),
            SonnetPrefixLength = p.GetValue(SonnetPrefixLen),
            SharegptOutputLength = p.GetValue(SharegptOutputLen),
            CustomOutputLength = p.GetValue(CustomOutputLen),
        };
        var settings = new BenchServeSettings
        {
            Backend = p.GetValue(Backend)!,
            BaseUrl = p.GetValue(BaseUrl),
            Host = p.GetValue(Host)!,
            Port = p.GetValue(Port),
            Endpoint = p.GetValue(Endpoint),
            Model = p.GetValue(Model),
            Tokenizer = p.GetValue(Tokenizer),
            Label = p.GetValue(Label),
            Dataset = dataset,
            RequestRate = ParseRate(p.GetValue(RequestRate)!),
            Burstiness = p.GetValue(Burstiness),
            MaxConcurrency = p.GetValue(MaxConcurrency),
            // vLLM ignores EOS for the random dataset on OpenAI backends so every request runs to its length.
            IgnoreEos = p.GetValue(IgnoreEos) || dataset.Name == "random",
            NumWarmups = p.GetValue(NumWarmups),
            PercentileMetrics = ServingMetricNames.Parse(p.GetValue(PercentileMetrics)!),
            MetricPercentiles = ParsePercentiles(p.GetValue(MetricPercentiles)!),
            Goodput = GoodputSlo.Parse(p.GetValue(Goodput) ?? []),
            Metadata = ParseMetadata(p.GetValue(Metadata) ?? []),
            DurationSeconds = p.GetValue(Duration),
            ApiKey = p.GetValue(ApiKey) ?? Environment.GetEnvironmentVariable("OPENAI_API_KEY"),
            Launch = p.GetValue(Launch),
            Sampling = new SamplingOverrides(p.GetValue(Temperature), p.GetValue(TopP), p.GetValue(TopK)),
        };
        settings.Validate();
        return settings;
    }

    internal static double ParseRate(string text) =>
        text.Trim().ToLowerInvariant() is "inf" or "infinity" ? double.PositiveInfinity
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && rate > 0 ? rate
        : throw new ArgumentException($"--request-rate must be a positive number or inf, got '{text}'.");

    internal static IReadOnlyList<double> ParsePercentiles(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
                : throw new ArgumentException($"--metric-percentiles takes numbers such as 50,90,99; got '{s}'."))
            .ToArray();

    internal static IReadOnlyList<KeyValuePair<string, string>> ParseMetadata(IEnumerable<string> pairs) =>
        pairs.Select(pair =>
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
                throw new ArgumentException($"--metadata takes KEY=VALUE pairs, got '{pair}'.");
            return new KeyValuePair<string, string>(pair[..eq].Trim(), pair[(eq + 1)..].Trim());
        }).ToArray();
}
