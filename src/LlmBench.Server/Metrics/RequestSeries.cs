using System.Diagnostics;

namespace LlmBench.Server.Metrics;

/// <summary>The request-side series of one scope (one engine, or the whole server): latency histograms and how requests ended.</summary>
internal sealed class RequestSeries
{
    private static readonly double[] TtftBuckets = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0];
    private static readonly double[] TpotBuckets = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0];
    private static readonly double[] E2eBuckets = [0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0];

    private long _finishedStop;
    private long _finishedLength;
    private long _abandoned;

    public Histogram Ttft { get; } = new("vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.", TtftBuckets);
    public Histogram Itl { get; } = new("vllm:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.", TpotBuckets);
    public Histogram E2e { get; } = new("vllm:e2e_request_latency_seconds", "Histogram of end to end request latency in seconds.", E2eBuckets);

    public long FinishedStop => Interlocked.Read(ref _finishedStop);
    public long FinishedLength => Interlocked.Read(ref _finishedLength);
    public long Abandoned => Interlocked.Read(ref _abandoned);

    public void OnToken(long ttftTicks, long gapTicks)
    {
        if (ttftTicks > 0)
            Ttft.Observe((double)ttftTicks / Stopwatch.Frequency);
        if (gapTicks > 0)
            Itl.Observe((double)gapTicks / Stopwatch.Frequency);
    }

    public void OnFinished(long e2eTicks, string finishReason)
    {
        E2e.Observe((double)e2eTicks / Stopwatch.Frequency);
        Interlocked.Increment(ref finishReason == "length" ? ref _finishedLength : ref _finishedStop);
    }

    public void OnAbandoned() => Interlocked.Increment(ref _abandoned);
}
