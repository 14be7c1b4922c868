using System.Globalization;
using System.Text;
using LlmBench.Engine.Api;

namespace LlmBench.Server.Metrics;

/// <summary>
/// The server's /metrics in Prometheus text, with vLLM's metric names where the meaning is the same
/// (vllm:num_requests_running, vllm:kv_cache_usage_perc, vllm:time_to_first_token_seconds, …) so
/// dashboards built for vLLM read ours. Queue and token counters come from the engines; latencies are
/// measured per request on the HTTP side. With several engines (`serve --data-parallel-size N`) every vllm:*
/// series has one sample per engine labelled engine="i", as vLLM labels its per-engine series, beside the
/// server's total under the labels a single engine has (sums; the KV-cache usage is the engines' mean, their caches
/// being the same size), so what reads one engine's series reads the whole server's.
/// </summary>
public sealed class ServerMetrics
{
    private readonly string _labels;
    private readonly RequestSeries _total = new();
    private readonly RequestSeries[] _engines;
    private readonly string[] _engineLabels;
    private long _rejected;
    private int _inFlight;

    /// <param name="engineCount">Engines behind the server; with one, no series carries an engine label.</param>
    public ServerMetrics(string modelName, int engineCount = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(engineCount, 1);
        _labels = $"model_name=\"{modelName.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
        var perEngine = engineCount > 1 ? engineCount : 0;
        _engines = Enumerable.Range(0, perEngine).Select(_ => new RequestSeries()).ToArray();
        _engineLabels = Enumerable.Range(0, perEngine).Select(i => string.Create(CultureInfo.InvariantCulture, $"{_labels},engine=\"{i}\"")).ToArray();
    }

    /// <summary>Requests between arrival and their last token, the server's own count over all engines.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public long Rejected => Interlocked.Read(ref _rejected);

    public void OnRequestStarted() => Interlocked.Increment(ref _inFlight);

    public void OnToken(int engine, long ttftTicks, long gapTicks)
    {
        _total.OnToken(ttftTicks, gapTicks);
        Engine(engine)?.OnToken(ttftTicks, gapTicks);
    }

    public void OnRequestFinished(int engine, long e2eTicks, string finishReason)
    {
        _total.OnFinished(e2eTicks, finishReason);
        Engine(engine)?.OnFinished(e2eTicks, finishReason);
        Interlocked.Decrement(ref _inFlight);
    }

    public void OnRequestAbandoned(int engine)
    {
        _total.OnAbandoned();
        Engine(engine)?.OnAbandoned();
        Interlocked.Decrement(ref _inFlight);
    }

    public void OnRejected() => Interlocked.Increment(ref _rejected);

    private RequestSeries? Engine(int index) => _engines.Length == 0 ? null : _engines[index];

    /// <param name="stats">Each engine's counters, in engine order.</param>
    public string Render(IReadOnlyList<EngineStats> stats)
    {
        if (stats.Count != Math.Max(_engines.Length, 1))
            throw new ArgumentException($"Expected the counters of {Math.Max(_engines.Length, 1)} engine(s), got {stats.Count}.", nameof(stats));
        var sb = new StringBuilder(8192 * stats.Count);
        Gauge(sb, "vllm:num_requests_running", "Number of requests in model execution batches.", stats, s => s.RunningRequests, sum: true);
        Gauge(sb, "vllm:num_requests_waiting", "Number of requests waiting to be processed.", stats, s => s.WaitingRequests, sum: true);
        Gauge(sb, "vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", stats, s => s.KvCacheUsage, sum: false);
        Counter(sb, "vllm:num_preemptions_total", "Cumulative number of preemption from the engine.", stats, s => s.Preemptions);
        Counter(sb, "vllm:prompt_tokens_total", "Number of prefill tokens processed.", stats, s => s.PromptTokensTotal);
        Counter(sb, "vllm:generation_tokens_total", "Number of generation tokens processed.", stats, s => s.GenerationTokensTotal);
        Header(sb, "vllm:request_success_total", "Count of successfully processed requests.", "counter");
        EachScope((labels, series) =>
        {
            sb.Append("vllm:request_success_total{").Append(labels).Append(",finished_reason=\"stop\"} ").Append(series.FinishedStop).Append('\n');
            sb.Append("vllm:request_success_total{").Append(labels).Append(",finished_reason=\"length\"} ").Append(series.FinishedLength).Append('\n');
        });
        Header(sb, "llmbench:requests_abandoned_total", "Requests whose client left before the end (aborted in the engine).", "counter");
        EachScope((labels, series) => Line(sb, "llmbench:requests_abandoned_total", labels, series.Abandoned.ToString(CultureInfo.InvariantCulture)));
        Header(sb, "llmbench:requests_rejected_total", "Requests refused with 503 because the waiting queue was full.", "counter");
        Line(sb, "llmbench:requests_rejected_total", _labels, Rejected.ToString(CultureInfo.InvariantCulture));
        Histograms(sb, s => s.Ttft);
        Histograms(sb, s => s.Itl);
        Histograms(sb, s => s.E2e);
        return sb.ToString();
    }

    /// <summary>The total under the server's labels, then each engine's under engine="i" (none with one engine).</summary>
    private void EachScope(Action<string, RequestSeries> write)
    {
        write(_labels, _total);
        for (int i = 0; i < _engines.Length; i++)
            write(_engineLabels[i], _engines[i]);
    }

    private void Histograms(StringBuilder sb, Func<RequestSeries, Histogram> histogram)
    {
        histogram(_total).WriteHeader(sb);
        EachScope((labels, series) => histogram(series).WriteSamples(sb, labels));
    }

    private void Gauge(StringBuilder sb, string name, string help, IReadOnlyList<EngineStats> stats, Func<EngineStats, double> value, bool sum)
    {
        Header(sb, name, help, "gauge");
        var total = stats.Sum(value);
        Line(sb, name, _labels, (sum ? total : total / stats.Count).ToString("R", CultureInfo.InvariantCulture));
        for (int i = 0; i < _engines.Length; i++)
            Line(sb, name, _engineLabels[i], value(stats[i]).ToString("R", CultureInfo.InvariantCulture));
    }

    private void Counter(StringBuilder sb, string name, string help, IReadOnlyList<EngineStats> stats, Func<EngineStats, long> value)
    {
        Header(sb, name, help, "counter");
        Line(sb, name, _labels, stats.Sum(value).ToString(CultureInfo.InvariantCulture));
        for (int i = 0; i < _engines.Length; i++)
            Line(sb, name, _engineLabels[i], value(stats[i]).ToString(CultureInfo.InvariantCulture));
    }

    private static void Header(StringBuilder sb, string name, string help, string type) =>
        sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
          .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Line(StringBuilder sb, string name, string labels, string value) =>
        sb.Append(name).Append('{').Append(labels).Append("} ").Append(value).Append('\n');
}
