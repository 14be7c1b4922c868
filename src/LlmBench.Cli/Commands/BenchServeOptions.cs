using System.CommandLine;
using System.Globalization;
using LlmBench.LoadGen.Arrivals;
using LlmBench.LoadGen.Client;
using LlmBench.LoadGen.Datasets;
using LlmBench.LoadGen.Runner;
using LlmBench.Reports.Serving;

namespace LlmBench.Cli;

/// <summary>The flags of `vllm bench serve` that `bench serve` accepts, plus ours, and their binding to settings.</summary>
internal sealed class BenchServeOptions
{
    public readonly Option<string> Backend = new("--backend") { Description = "openai or vllm (/v1/completions; vllm is vLLM's name for the same client), or openai-chat (/v1/chat/completions).", DefaultValueFactory = _ => "openai" };
    public readonly Option<string?> BaseUrl = new("--base-url") { Description = "Server base URL, e.g. http://10.0.0.5:8000 (instead of --host/--port)." };
    public readonly Option<string> Host = new("--host") { Description = "Server host.", DefaultValueFactory = _ => "127.0.0.1" };
    public readonly Option<int> Port = new("--port") { Description = "Server port.", DefaultValueFactory = _ => 8000 };
    public readonly Option<string?> Endpoint = new("--endpoint") { Description = "API path; defaults to the backend's (/v1/completions or /v1/chat/completions)." };
    public readonly Option<string?> Model = new("--model") { Description = "Model to send and to take the tokenizer from; defaults to the first model of the server's /v1/models." };
    public readonly Option<string?> ServedModelName = new("--served-model-name") { Description = "Name to send as the request's model when the server knows the model by another name than --model (which still names the tokenizer), as in vLLM." };
    public readonly Option<string?> Tokenizer = new("--tokenizer") { Description = "Tokenizer (model directory or tokenizer.json) for prompt lengths; defaults to --model." };
    public readonly Option<string?> Label = new("--label") { Description = "Result label (file name prefix); defaults to the backend." };
    public readonly Option<string> DatasetName = new("--dataset-name") { Description = "random, prefix_repetition, sonnet, sharegpt, custom, or a trace: mooncake_trace (JSONL) or burstgpt (CSV).", DefaultValueFactory = _ => "random" };
    public readonly Option<string?> DatasetPath = new("--dataset-path") { Description = "File for sharegpt (JSON), custom (JSONL with \"prompt\"), mooncake_trace (JSONL with timestamp, input_length, output_length, hash_ids) or burstgpt (its CSV)." };
    public readonly Option<int> PrefixRepetitionPrefixLen = new("--prefix-repetition-prefix-len") { Description = "prefix_repetition: tokens of each shared prefix.", DefaultValueFactory = _ => 256 };
    public readonly Option<int> PrefixRepetitionSuffixLen = new("--prefix-repetition-suffix-len") { Description = "prefix_repetition: tokens after the prefix, different in every prompt.", DefaultValueFactory = _ => 256 };
    public readonly Option<int> PrefixRepetitionNumPrefixes = new("--prefix-repetition-num-prefixes") { Description = "prefix_repetition: distinct prefixes; each starts --num-prompts / this many prompts.", DefaultValueFactory = _ => 10 };
    public readonly Option<int> PrefixRepetitionOutputLen = new("--prefix-repetition-output-len") { Description = "prefix_repetition: output tokens per request.", DefaultValueFactory = _ => 128 };
    public readonly Option<bool> MultiTurn = new("--multi-turn") { Description = "sharegpt: send each conversation's turns as a growing chat, each turn with the earlier turns and the server's replies; --num-prompts counts conversations; needs --backend openai-chat (ours)." };
    public readonly Option<bool> FixedSchedule = new("--fixed-schedule") { Description = "mooncake_trace or burstgpt: send each request at its trace timestamp (from the first entry's) instead of at --request-rate (AIPerf's flag)." };
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
    public readonly Option<string> RequestRate = new("--request-rate") { Description = "Requests per second, or inf to send all at once; a comma list (1,4,16) sweeps, one run each (ours).", DefaultValueFactory = _ => "inf" };
    public readonly Option<double> Burstiness = new("--burstiness") { Description = "Gamma shape of the arrivals: 1 is Poisson, below 1 burstier, above 1 more even.", DefaultValueFactory = _ => 1.0 };
    public readonly Option<string?> MaxConcurrency = new("--max-concurrency") { Description = "At most this many requests in flight; a comma list (1,8,32) sweeps, one run each (ours)." };
    public readonly Option<bool> IgnoreEos = new("--ignore-eos") { Description = "Send ignore_eos so every request generates max_tokens (always on for the random dataset, as in vLLM, and for traces, whose output lengths are the point)." };
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
    public readonly Option<string?> Search = new("--search") { Description = "Find the highest max-concurrency or request-rate whose requests meet --goodput at --search-percentile with 100% success (ours)." };
    public readonly Option<double> SearchPercentile = new("--search-percentile") { Description = "--search: the percentile the SLO is held at.", DefaultValueFactory = _ => 99 };
    public readonly Option<int> SearchMaxRuns = new("--search-max-runs") { Description = "--search: at most this many runs.", DefaultValueFactory = _ => 8 };
    public readonly Option<double> SearchStart = new("--search-start") { Description = "--search: the first load probed, then doubled until it fails.", DefaultValueFactory = _ => 1 };
    public readonly Option<string?> RampUpStrategy = new("--ramp-up-strategy") { Description = "linear or exponential: the request rate moves from --ramp-up-start-rps to --ramp-up-end-rps over the run's requests (vLLM's)." };
    public readonly Option<double?> RampUpStartRps = new("--ramp-up-start-rps") { Description = "--ramp-up-strategy: the first request's rate." };
    public readonly Option<double?> RampUpEndRps = new("--ramp-up-end-rps") { Description = "--ramp-up-strategy: the last request's rate." };
    public readonly Option<double?> SliceDuration = new("--slice-duration") { Description = "Add per-window throughput and latency percentiles for windows of this many seconds to the result, under \"llmbench\".\"timeslices\" (AIPerf's time slicing; ours)." };
    public readonly Option<string> LatencyFrom = new("--latency-from") { Description = "Measure TTFT and E2EL from the actual send (sent, vLLM's) or from the scheduled send time (scheduled, counting the client-side wait); both go in the result (ours).", DefaultValueFactory = _ => "sent" };
    public readonly Option<double?> Temperature = new("--temperature") { Description = "Sampling temperature to send." };
    public readonly Option<double?> TopP = new("--top-p") { Description = "top_p to send." };
    public readonly Option<int?> TopK = new("--top-k") { Description = "top_k to send." };
    public readonly Option<double?> MinP = new("--min-p") { Description = "min_p to send." };
    public readonly Option<int?> Logprobs = new("--logprobs") { Description = "Log probabilities to ask for per output token: logprobs N on completions, logprobs true with top_logprobs N on chat; none when left out." };
    public readonly Option<bool> SaveDetailed = new("--save-detailed") { Description = "Also put vLLM's per-request arrays (input_lens, output_lens, ttfts, itls, start_times, generated_texts, errors) in the result JSON." };
    public readonly Option<bool> AppendResult = new("--append-result") { Description = "Append the result JSON as one line to the result file instead of replacing it (saves without --save-result; no per-request files), as vLLM does." };
    public readonly Option<string[]> Header = new("--header") { Description = "KEY=VALUE HTTP headers sent with every request (over the API key's Authorization; x-request-id is always the request's own).", AllowMultipleArgumentsPerToken = true };
    public readonly Option<string?> RequestIdPrefix = new("--request-id-prefix") { Description = "Prefix of each request's x-request-id, followed by its index (default bench-XXXXXXXX-, random)." };
    public readonly Option<bool> DisableTqdm = new("--disable-tqdm") { Description = "No progress bar." };

    public void AddTo(Command command)
    {
        Option[] all =
        [
            Backend, BaseUrl, Host, Port, Endpoint, Model, Tokenizer, Label, DatasetName, DatasetPath, NumPrompts,
            RandomInputLen, RandomOutputLen, RandomRangeRatio, RandomPrefixLen, SonnetInputLen, SonnetOutputLen, SonnetPrefixLen,
            SharegptOutputLen, CustomOutputLen, RequestRate, Burstiness, MaxConcurrency, IgnoreEos, NumWarmups, Seed,
            PercentileMetrics, MetricPercentiles, Goodput, SaveResult, ResultDir, ResultFilename, Metadata, Duration,
            ApiKey, Launch, Search, SearchPercentile, SearchMaxRuns, SearchStart, RampUpStrategy, RampUpStartRps, RampUpEndRps, SliceDuration, LatencyFrom, Temperature, TopP, TopK,
            PrefixRepetitionPrefixLen, PrefixRepetitionSuffixLen, PrefixRepetitionNumPrefixes, PrefixRepetitionOutputLen, MultiTurn, FixedSchedule,
            MinP, Logprobs, ServedModelName, SaveDetailed, AppendResult, Header, RequestIdPrefix, DisableTqdm, CompatibilityFlags.TrustRemoteCode,
        ];
        foreach (var option in all)
            command.Options.Add(option);
    }

    public BenchServeSettings Bind(ParseResult p)
    {
        CompatibilityFlags.NoteGiven(p, Console.Error);
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
            PrefixRepetitionPrefixLength = p.GetValue(PrefixRepetitionPrefixLen),
            PrefixRepetitionSuffixLength = p.GetValue(PrefixRepetitionSuffixLen),
            PrefixRepetitionNumPrefixes = p.GetValue(PrefixRepetitionNumPrefixes),
            PrefixRepetitionOutputLength = p.GetValue(PrefixRepetitionOutputLen),
            MultiTurn = p.GetValue(MultiTurn),
        };
        var rates = ParseList("--request-rate", p.GetValue(RequestRate)!, ParseRate);
        var concurrencies = p.GetValue(MaxConcurrency) is { } c ? ParseList("--max-concurrency", c, ParseConcurrency) : null;
        var settings = new BenchServeSettings
        {
            Backend = p.GetValue(Backend)!,
            BaseUrl = p.GetValue(BaseUrl),
            Host = p.GetValue(Host)!,
            Port = p.GetValue(Port),
            Endpoint = p.GetValue(Endpoint),
            Model = p.GetValue(Model),
            ServedModelName = p.GetValue(ServedModelName),
            Tokenizer = p.GetValue(Tokenizer),
            Label = p.GetValue(Label),
            Dataset = dataset,
            RequestRate = rates[0],
            RequestRateSweep = rates.Count > 1 ? rates : null,
            Burstiness = p.GetValue(Burstiness),
            MaxConcurrency = concurrencies?[0],
            MaxConcurrencySweep = concurrencies is { Count: > 1 } ? concurrencies : null,
            // vLLM ignores EOS for the random dataset on OpenAI backends so every request runs to its length.
            IgnoreEos = p.GetValue(IgnoreEos) || dataset.Name == "random" || TraceDatasets.IsTrace(dataset.Name),
            NumWarmups = p.GetValue(NumWarmups),
            PercentileMetrics = ServingMetricNames.Parse(p.GetValue(PercentileMetrics)!),
            MetricPercentiles = ParsePercentiles(p.GetValue(MetricPercentiles)!),
            Goodput = GoodputSlo.Parse(p.GetValue(Goodput) ?? []),
            Metadata = ParsePairs("--metadata", p.GetValue(Metadata) ?? []),
            DurationSeconds = p.GetValue(Duration),
            ApiKey = p.GetValue(ApiKey) ?? Environment.GetEnvironmentVariable("OPENAI_API_KEY"),
            Launch = p.GetValue(Launch),
            LatencyFrom = p.GetValue(LatencyFrom)!,
            RampUp = BindRampUp(p),
            SliceDurationSeconds = p.GetValue(SliceDuration),
            Sampling = new SamplingOverrides(p.GetValue(Temperature), p.GetValue(TopP), p.GetValue(TopK), p.GetValue(MinP)),
            Logprobs = p.GetValue(Logprobs),
            Headers = ParsePairs("--header", p.GetValue(Header) ?? []),
            RequestIdPrefix = p.GetValue(RequestIdPrefix),
            SaveDetailed = p.GetValue(SaveDetailed),
            FixedSchedule = p.GetValue(FixedSchedule),
        };
        settings.Validate();
        return settings;
    }

    private RampUp? BindRampUp(ParseResult p)
    {
        var strategy = p.GetValue(RampUpStrategy);
        var (start, end) = (p.GetValue(RampUpStartRps), p.GetValue(RampUpEndRps));
        if (strategy is null)
            return start is null && end is null ? null
                : throw new ArgumentException("--ramp-up-start-rps and --ramp-up-end-rps need --ramp-up-strategy linear or exponential.");
        if (start is null || end is null)
            throw new ArgumentException("--ramp-up-strategy needs both --ramp-up-start-rps and --ramp-up-end-rps.");
        return new RampUp(strategy, start.Value, end.Value);
    }

    /// <summary>The search asked for by --search and its flags, checked against the rest; null without --search.</summary>
    public LoadSearchOptions? BindSearch(ParseResult p, BenchServeSettings settings)
    {
        if (p.GetValue(Search) is not { } text)
            return null;
        var dimension = text.Trim() switch
        {
            "max-concurrency" => SearchDimension.MaxConcurrency,
            "request-rate" => SearchDimension.RequestRate,
            _ => throw new ArgumentException($"--search takes max-concurrency or request-rate, got '{text}'."),
        };
        if (settings.Goodput.IsEmpty)
            throw new ArgumentException("--search needs an SLO to hold: give --goodput, e.g. --goodput ttft:2000 tpot:50.");
        if (settings.IsSweep)
            throw new ArgumentException("--search picks its own loads; give --max-concurrency and --request-rate single values with it.");
        var percentile = p.GetValue(SearchPercentile);
        if (percentile is < 0 or > 100 || double.IsNaN(percentile))
            throw new ArgumentException($"--search-percentile must be in [0, 100], got {percentile}.");
        var options = new LoadSearchOptions(dimension, p.GetValue(SearchStart), p.GetValue(SearchMaxRuns),
            dimension == SearchDimension.MaxConcurrency ? p.GetValue(NumPrompts) : null);
        options.Validate();
        return options;
    }

    /// <summary>"8" or "1,8,32": one value or a sweep's list; an empty list (or an empty item) is an error naming the flag.</summary>
    internal static IReadOnlyList<T> ParseList<T>(string flag, string text, Func<string, T> parse)
    {
        var items = text.Split(',', StringSplitOptions.TrimEntries);
        if (items.Length == 1 && items[0].Length == 0 || items.All(i => i.Length == 0))
            throw new ArgumentException($"{flag} needs a value or a comma list such as 1,8,32, got '{text}'.");
        if (items.Any(i => i.Length == 0))
            throw new ArgumentException($"{flag} has an empty item in '{text}'; give a comma list such as 1,8,32.");
        return items.Select(parse).ToArray();
    }

    internal static int ParseConcurrency(string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var c) && c >= 1 ? c
        : throw new ArgumentException($"--max-concurrency must be whole numbers of at least 1, got '{text}'.");

    internal static double ParseRate(string text) =>
        text.Trim().ToLowerInvariant() is "inf" or "infinity" ? double.PositiveInfinity
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && rate > 0 ? rate
        : throw new ArgumentException($"--request-rate must be a positive number or inf, got '{text}'.");

    internal static IReadOnlyList<double> ParsePercentiles(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
                : throw new ArgumentException($"--metric-percentiles takes numbers such as 50,90,99; got '{s}'."))
            .ToArray();

    /// <summary>--metadata and --header: KEY=VALUE pairs (split at the first '=', trimmed), as vLLM reads them.</summary>
    internal static IReadOnlyList<KeyValuePair<string, string>> ParsePairs(string flag, IEnumerable<string> pairs) =>
        pairs.Select(pair =>
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
                throw new ArgumentException($"{flag} takes KEY=VALUE pairs, got '{pair}'.");
            return new KeyValuePair<string, string>(pair[..eq].Trim(), pair[(eq + 1)..].Trim());
        }).ToArray();
}
