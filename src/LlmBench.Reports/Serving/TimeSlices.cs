using LlmBench.Reports.Statistics;

namespace LlmBench.Reports.Serving;

/// <summary>One window of --slice-duration: the requests that ended in it, their throughput over its length and their latencies.</summary>
public sealed record TimeSlice(
    int Index,
    double StartSeconds,
    double EndSeconds,
    int Completed,
    int Failed,
    double RequestThroughput,
    double OutputThroughput,
    DistributionSummary TtftMs,
    DistributionSummary TpotMs,
    DistributionSummary ItlMs,
    DistributionSummary E2elMs);

/// <summary>
/// --slice-duration S, as AIPerf's time slicing: the run (first send to last completion) cut into consecutive windows of S
/// seconds, the last one shorter when the duration is not a multiple. A request belongs to the window it ended in (a
/// failed one to the window it was sent in); each window's throughputs divide by its own length.
/// </summary>
public static class TimeSlices
{
    public static IReadOnlyList<TimeSlice> Compute(IReadOnlyList<RequestRecord> records, double sliceSeconds, double durationSeconds, IReadOnlyList<double> percentiles)
    {
        if (!(sliceSeconds > 0) || double.IsInfinity(sliceSeconds))
            throw new ArgumentException($"--slice-duration must be a positive number of seconds, got {sliceSeconds}.");
        var count = Math.Max(1, (int)Math.Ceiling(durationSeconds / sliceSeconds - 1e-9));
        var buckets = Enumerable.Range(0, count).Select(_ => new List<RequestRecord>()).ToArray();
        foreach (var r in records)
        {
            var at = r.Success ? r.EndSeconds : r.StartSeconds;
            buckets[Math.Clamp((int)Math.Floor(at / sliceSeconds), 0, count - 1)].Add(r);
        }

        return buckets.Select((bucket, i) =>
        {
            var start = i * sliceSeconds;
            var end = Math.Min((i + 1) * sliceSeconds, Math.Max(durationSeconds, start + 1e-9));
            var length = end - start;
            var ok = bucket.Where(r => r.Success).ToArray();
            return new TimeSlice(
                i, start, end, ok.Length, bucket.Count - ok.Length,
                ok.Length / length,
                ok.Sum(r => (double)r.OutputTokens) / length,
                DistributionSummary.Compute(ok.Select(r => r.TtftMs), percentiles),
                DistributionSummary.Compute(ok.Select(r => r.TpotMs).OfType<double>(), percentiles),
                DistributionSummary.Compute(ok.SelectMany(r => r.ItlMs), percentiles),
                DistributionSummary.Compute(ok.Select(r => r.E2elMs), percentiles));
        }).ToArray();
    }
}
