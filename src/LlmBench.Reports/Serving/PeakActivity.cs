namespace LlmBench.Reports.Serving;

/// <summary>
/// Peaks over a run, as vLLM reports them: the most streamed chunks in any one-second bucket from the
/// first send ("Peak output token throughput") and the most requests in flight at once, by a sweep over
/// half-open [send, last chunk) intervals of successful requests where an end precedes a start at a tie.
/// </summary>
public static class PeakActivity
{
    public static int MaxConcurrentRequests(IReadOnlyList<RequestRecord> records)
    {
        var events = new List<(double TimeSeconds, int Delta)>(records.Count * 2);
        foreach (var r in records)
        {
            if (!r.Success)
                continue;
            events.Add((r.StartSeconds, +1));
            events.Add((r.EndSeconds, -1));
        }

        events.Sort((a, b) => a.TimeSeconds != b.TimeSeconds ? a.TimeSeconds.CompareTo(b.TimeSeconds) : a.Delta.CompareTo(b.Delta));
        int current = 0, peak = 0;
        foreach (var (_, delta) in events)
        {
            current += delta;
            peak = Math.Max(peak, current);
        }

        return peak;
    }

    /// <summary>Chunks carrying choices per one-second bucket, the largest bucket.</summary>
    public static double MaxOutputChunksPerSecond(IReadOnlyList<RequestRecord> records)
    {
        var successful = records.Where(r => r.Success).ToArray();
        if (successful.Length == 0)
            return 0;
        var origin = successful.Min(r => r.StartSeconds);
        var end = successful.Max(r => r.EndSeconds);
        var buckets = new double[(int)Math.Ceiling(end - origin) + 1];
        foreach (var r in successful)
        {
            var timeSeconds = r.StartSeconds + r.TtftMs / 1000.0;
            Count(buckets, timeSeconds - origin);
            foreach (var gapMs in r.ItlMs)
            {
                timeSeconds += gapMs / 1000.0;
                Count(buckets, timeSeconds - origin);
            }
        }

        return buckets.Max();
    }

    private static void Count(double[] buckets, double offsetSeconds)
    {
        var bucket = (int)offsetSeconds;
        if (bucket >= 0 && bucket < buckets.Length)
            buckets[bucket]++;
    }
}
