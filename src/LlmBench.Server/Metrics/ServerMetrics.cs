using System.Diagnostics;
using System.Globalization;
using System.Text;
using LlmBench.Engine.Api;

namespace LlmBench.Server.Metrics;

/// <summary>
/// The server's /metrics in Prometheus text, with vLLM's metric names where the meaning is the same
/// (vllm:num_requests_running, vllm:kv_cache_usage_perc, vllm:time_to_first_token_seconds, …) so
/// dashboards built for vLLM read ours. Queue and token counters come from the engine; latencies are
/// measured per request on the HTTP side.
/// </summary>
public sealed class ServerMetrics(string modelName)
{
    private static readonly double[] TtftBuckets = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0];
    private static readonly double[] TpotBuckets = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0];
    private static readonly double[] E2eBuckets = [0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0];

    private readonly Histogram _ttft = new("vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.", TtftBuckets);
    private readonly Histogram _itl = new("vllm:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.", TpotBuckets);
    private readonly Histogram _e2e = new("vllm:e2e_request_latency_seconds", "Histogram of end to end request latency in seconds.", E2eBuckets);
    private readonly string _labels = $"model_name=\"{modelName.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
    private long _finishedStop;
    private long _finishedLength;
    private long _abandoned;
    private long _rejected;
    private int _inFlight;

    /// <summary>Requests between arrival and their last byte, the server's own count (for admission control).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public long Rejected => Interlocked.Read(ref _rejected);

    public void OnRequestStarted() => Interlocked.Increment(ref _inFlight);

    public void OnToken(long ttftTicks, long gapTicks)
    {
        if (ttftTicks > 0)
            _ttft.Observe((double)ttftTicks / Stopwatch.Frequency);
        if (gapTicks > 0)
            _itl.Observe((double)gapTicks / Stopwatch.Frequency);
    }

    public void OnRequestFinished(long e2eTicks, int completionTokens, string finishReason)
    {
        _e2e.Observe((double)e2eTicks / Stopwatch.Frequency);
        Interlocked.Increment(ref finishReason == "length" ? ref _finishedLength : ref _finishedStop);
        Interlocked.Decrement(ref _inFlight);
    }

    public void OnRequestAbandoned()
    {
        Interlocked.Increment(ref _abandoned);
        Interlocked.Decrement(ref _inFlight);
    }

    public void OnRejected() => Interlocked.Increment(ref _rejected);

    public string Render(EngineStats stats)
    {
        var sb = new StringBuilder(8192);
        Gauge(sb, "vllm:num_requests_running", "Number of requests in model execution batches.", stats.RunningRequests);
        Gauge(sb, "vllm:num_requests_waiting", "Number of requests waiting to be processed.", stats.WaitingRequests);
        Gauge(sb, "vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", stats.KvCacheUsage);
        Counter(sb, "vllm:num_preemptions_total", "Cumulative number of preemption from the engine.", stats.Preemptions);
        Counter(sb, "vllm:prompt_tokens_total", "Number of prefill tokens processed.", stats.PromptTokensTotal);
        Counter(sb, "vllm:generation_tokens_total", "Number of generation tokens processed.", stats.GenerationTokensTotal);
        sb.Append("# HELP vllm:request_success_total Count of successfully processed requests.\n# TYPE vllm:request_success_total counter\n");
        sb.Append("vllm:request_success_total{").Append(_labels).Append(",finished_reason=\"stop\"} ").Append(Interlocked.Read(ref _finishedStop)).Append('\n');
        sb.Append("vllm:request_success_total{").Append(_labels).Append(",finished_reason=\"length\"} ").Append(Interlocked.Read(ref _finishedLength)).Append('\n');
        Counter(sb, "llmbench:requests_abandoned_total", "Requests whose client left before the end (aborted in the engine).", Interlocked.Read(ref _abandoned));
        Counter(sb, "llmbench:requests_rejected_total", "Requests refused with 503 because the waiting queue was full.", Rejected);
        _ttft.Write(sb, _labels);
        _itl.Write(sb, _labels);
        _e2e.Write(sb, _labels);
        return sb.ToString();
    }

    private void Gauge(StringBuilder sb, string name, string help, double value) => Sample(sb, name, help, "gauge", value.ToString("R", CultureInfo.InvariantCulture));

    private void Counter(StringBuilder sb, string name, string help, long value) => Sample(sb, name, help, "counter", value.ToString(CultureInfo.InvariantCulture));

    private void Sample(StringBuilder sb, string name, string help, string type, string value) =>
        sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
          .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n')
          .Append(name).Append('{').Append(_labels).Append("} ").Append(value).Append('\n');
}
