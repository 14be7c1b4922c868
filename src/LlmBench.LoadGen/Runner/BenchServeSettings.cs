using LlmBench.LoadGen.Client;
using LlmBench.LoadGen.Datasets;
using LlmBench.Reports.Serving;

namespace LlmBench.LoadGen.Runner;

/// <summary>Everything `llmbench bench serve` was asked, as `vllm bench serve` names it, validated once.</summary>
public sealed record BenchServeSettings
{
    public string Backend { get; init; } = "openai";
    public string? BaseUrl { get; init; }
    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; } = 8000;

    /// <summary>Null picks the backend's own: /v1/completions or /v1/chat/completions.</summary>
    public string? Endpoint { get; init; }

    public string? Model { get; init; }

    /// <summary>--served-model-name: the name sent in each request's "model" when it differs from --model (which names the tokenizer and the result's model_id), as vLLM has it.</summary>
    public string? ServedModelName { get; init; }

    public string? Tokenizer { get; init; }
    public string? Label { get; init; }
    public DatasetOptions Dataset { get; init; } = new();
    public double RequestRate { get; init; } = double.PositiveInfinity;
    public double Burstiness { get; init; } = 1.0;
    public int? MaxConcurrency { get; init; }

    /// <summary>--request-rate as a comma list of two or more: a sweep over these rates; null runs <see cref="RequestRate"/> alone.</summary>
    public IReadOnlyList<double>? RequestRateSweep { get; init; }

    /// <summary>--max-concurrency as a comma list of two or more: a sweep over these limits; null runs <see cref="MaxConcurrency"/> alone.</summary>
    public IReadOnlyList<int>? MaxConcurrencySweep { get; init; }

    /// <summary>The loads to run, one result each: every swept rate with every swept concurrency, or the single point.</summary>
    public IReadOnlyList<LoadPoint> LoadPoints => LoadPoint.Grid(
        RequestRateSweep ?? [RequestRate],
        MaxConcurrencySweep?.Select(c => (int?)c).ToArray() ?? [MaxConcurrency]);

    /// <summary>True when more than one load is run (--request-rate or --max-concurrency given as a list).</summary>
    public bool IsSweep => RequestRateSweep is not null || MaxConcurrencySweep is not null;

    /// <summary>These settings for one load of the sweep, as a single-point run.</summary>
    public BenchServeSettings At(LoadPoint point) =>
        this with { RequestRate = point.RequestRate, MaxConcurrency = point.MaxConcurrency, RequestRateSweep = null, MaxConcurrencySweep = null };

    public bool IgnoreEos { get; init; }
    public int NumWarmups { get; init; }
    public IReadOnlyList<string> PercentileMetrics { get; init; } = ["ttft", "tpot", "itl"];
    public IReadOnlyList<double> MetricPercentiles { get; init; } = [99];
    public GoodputSlo Goodput { get; init; } = GoodputSlo.None;
    public IReadOnlyList<KeyValuePair<string, string>> Metadata { get; init; } = [];
    public double? DurationSeconds { get; init; }
    public string? ApiKey { get; init; }
    public string? Launch { get; init; }
    public SamplingOverrides Sampling { get; init; } = SamplingOverrides.None;

    /// <summary>--logprobs N: log probabilities asked of the server per token; null asks for none.</summary>
    public int? Logprobs { get; init; }

    /// <summary>--header KEY=VALUE pairs sent with every request.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>--fixed-schedule: each request leaves at its trace timestamp (--dataset-name mooncake_trace or burstgpt).</summary>
    public bool FixedSchedule { get; init; }

    /// <summary>--save-detailed: the result carries vLLM's per-request arrays.</summary>
    public bool SaveDetailed { get; init; }

    /// <summary>--request-id-prefix: x-request-id is this plus the request's index; null draws vLLM's "bench-XXXXXXXX-".</summary>
    public string? RequestIdPrefix { get; init; }

    /// <summary>--ramp-up-strategy with its start and end RPS; null for a constant --request-rate.</summary>
    public Arrivals.RampUp? RampUp { get; init; }

    /// <summary>--slice-duration: per-window figures in the result; null for none.</summary>
    public double? SliceDurationSeconds { get; init; }

    /// <summary>--latency-from: sent (vLLM's) or scheduled.</summary>
    public string LatencyFrom { get; init; } = LatencyBasis.Sent;

    public Uri ServerBaseUrl => new((BaseUrl ?? $"http://{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}").TrimEnd('/') + "/");

    public string EffectiveEndpoint => Endpoint ?? (RequestBodyBuilder.IsChat(Backend) ? "/v1/chat/completions" : "/v1/completions");

    public Uri ApiUrl => new(ServerBaseUrl, EffectiveEndpoint.TrimStart('/'));

    public void Validate()
    {
        if (!RequestBodyBuilder.Backends.Contains(Backend))
            throw new ArgumentException($"--backend must be one of {string.Join(", ", RequestBodyBuilder.Backends)}; got '{Backend}'.");
        if (BaseUrl is not null && !Uri.TryCreate(BaseUrl, UriKind.Absolute, out _))
            throw new ArgumentException($"--base-url must be an absolute URL such as http://127.0.0.1:8000, got '{BaseUrl}'.");
        if (Port is < 1 or > 65535)
            throw new ArgumentException($"--port must be in 1–65535, got {Port}.");
        foreach (var point in LoadPoints)
        {
            if (!(point.RequestRate > 0))
                throw new ArgumentException($"--request-rate must be positive (or inf), got {point.RequestRate}.");
            if (point.MaxConcurrency is < 1)
                throw new ArgumentException($"--max-concurrency must be at least 1, got {point.MaxConcurrency}.");
        }

        if (!(Burstiness > 0))
            throw new ArgumentException($"--burstiness must be positive, got {Burstiness}.");
        if (MetricPercentiles.Any(p => p is < 0 or > 100 || double.IsNaN(p)))
            throw new ArgumentException("--metric-percentiles takes numbers in [0, 100], such as 50,90,99.");
        if (RampUp is not null)
        {
            RampUp.Validate();
            if (!double.IsPositiveInfinity(RequestRate) || IsSweep)
                throw new ArgumentException("With --ramp-up-strategy the ramp sets the rate; leave out --request-rate and sweeps.");
            if (DurationSeconds is not null)
                throw new ArgumentException("--ramp-up-strategy moves the rate over a fixed number of requests; use --num-prompts, not --duration.");
        }

        if (SliceDurationSeconds is { } slice && (!(slice > 0) || double.IsInfinity(slice)))
            throw new ArgumentException($"--slice-duration must be a positive number of seconds, got {slice}.");
        if (FixedSchedule)
        {
            if (!TraceDatasets.IsTrace(Dataset.Name))
                throw new ArgumentException($"--fixed-schedule replays a trace's timestamps: use it with --dataset-name {string.Join(" or ", TraceDatasets.Names)}, not {Dataset.Name}.");
            if (!double.IsPositiveInfinity(RequestRate) || IsSweep || RampUp is not null || DurationSeconds is not null)
                throw new ArgumentException("--fixed-schedule sends each request at its trace time; leave out --request-rate, sweeps, --ramp-up-strategy and --duration.");
        }

        if (Dataset.MultiTurn && !RequestBodyBuilder.IsChat(Backend))
            throw new ArgumentException("--multi-turn sends each conversation as a growing chat: use --backend openai-chat.");
        if (Logprobs is < 0)
            throw new ArgumentException($"--logprobs must be 0 or more, got {Logprobs}.");
        if (Sampling.MinP is { } minP && !(minP >= 0 && minP <= 1))
            throw new ArgumentException($"--min-p must be in [0, 1], got {minP}.");
        if (!LatencyBasis.All.Contains(LatencyFrom))
            throw new ArgumentException($"--latency-from must be sent or scheduled, got '{LatencyFrom}'.");
        Dataset.Validate();
    }
}
