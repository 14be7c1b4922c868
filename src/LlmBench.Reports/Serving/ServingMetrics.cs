using LlmBench.Reports.Statistics;

namespace LlmBench.Reports.Serving;

/// <summary>
/// The aggregates of a serving run, defined as `vllm bench serve` defines them (see docs/WORKLOADS.md):
/// failed requests are counted and left out of every latency statistic and token total; ITL gaps of all
/// successful requests are pooled; TPOT only covers requests with more than one output token.
/// </summary>
public sealed record ServingMetrics
{
    public required int Completed { get; init; }
    public required int Failed { get; init; }
    public required long TotalInputTokens { get; init; }
    public required long TotalOutputTokens { get; init; }
    public required double DurationSeconds { get; init; }
    public required double RequestThroughput { get; init; }

    /// <summary>Good requests per second; null when no --goodput objective was given.</summary>
    public required double? RequestGoodput { get; init; }

    public required double OutputThroughput { get; init; }
    public required double TotalTokenThroughput { get; init; }
    public required double MaxOutputTokensPerSecond { get; init; }
    public required int MaxConcurrentRequests { get; init; }
    public required DistributionSummary TtftMs { get; init; }
    public required DistributionSummary TpotMs { get; init; }
    public required DistributionSummary ItlMs { get; init; }
    public required DistributionSummary E2elMs { get; init; }
    public required DistributionSummary ClientQueueMs { get; init; }

    /// <summary>P99s the serving constraints are scored on, whatever --metric-percentiles asked for.</summary>
    public required double P99TtftMs { get; init; }

    public required double P99TpotMs { get; init; }

    /// <summary>How many successful requests had their output tokens counted by re-tokenizing (no usage chunk).</summary>
    public required int RetokenizedRequests { get; init; }

    public double SuccessRate => Completed + Failed == 0 ? 0 : (double)Completed / (Completed + Failed);

    public static ServingMetrics Compute(
        IReadOnlyList<RequestRecord> records, double durationSeconds, IReadOnlyList<double> percentiles, GoodputSlo goodput)
    {
        if (durationSeconds <= 0)
            throw new ArgumentOutOfRangeException(nameof(durationSeconds), durationSeconds, "A run lasts a positive time.");
        var ok = records.Where(r => r.Success).ToArray();
        long input = ok.Sum(r => (long)r.PromptTokens);
        long output = ok.Sum(r => (long)r.OutputTokens);
        var tpots = ok.Select(r => r.TpotMs).OfType<double>().ToArray();
        var ttfts = ok.Select(r => r.TtftMs).ToArray();

        return new ServingMetrics
        {
            Completed = ok.Length,
            Failed = records.Count - ok.Length,
            TotalInputTokens = input,
            TotalOutputTokens = output,
            DurationSeconds = durationSeconds,
            RequestThroughput = ok.Length / durationSeconds,
            RequestGoodput = goodput.IsEmpty ? null : ok.Count(goodput.IsGood) / durationSeconds,
            OutputThroughput = output / durationSeconds,
            TotalTokenThroughput = (input + output) / durationSeconds,
            MaxOutputTokensPerSecond = PeakActivity.MaxOutputChunksPerSecond(records),
            MaxConcurrentRequests = PeakActivity.MaxConcurrentRequests(records),
            TtftMs = DistributionSummary.Compute(ttfts, percentiles),
            TpotMs = DistributionSummary.Compute(tpots, percentiles),
            ItlMs = DistributionSummary.Compute(ok.SelectMany(r => r.ItlMs), percentiles),
            E2elMs = DistributionSummary.Compute(ok.Select(r => r.E2elMs), percentiles),
            ClientQueueMs = DistributionSummary.Compute(ok.Select(r => r.ClientQueueMs), percentiles),
            P99TtftMs = P99(ttfts),
            P99TpotMs = P99(tpots),
            RetokenizedRequests = ok.Count(r => !r.OutputTokensFromUsage),
        };
    }

    private static double P99(double[] values)
    {
        Array.Sort(values);
        return DistributionSummary.PercentileOfSorted(values, 99);
    }
}
