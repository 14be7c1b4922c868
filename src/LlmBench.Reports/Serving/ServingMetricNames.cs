using LlmBench.Reports.Statistics;

namespace LlmBench.Reports.Serving;

/// <summary>A per-request metric that can have percentiles: its key (vLLM's), short name and section header.</summary>
public sealed record ServingMetricName(string Key, string Short, string Header, Func<ServingMetrics, DistributionSummary> Select);

/// <summary>The metrics --percentile-metrics may name, in vLLM's print order.</summary>
public static class ServingMetricNames
{
    public static readonly IReadOnlyList<ServingMetricName> All =
    [
        new("ttft", "TTFT", "Time to First Token", m => m.TtftMs),
        new("tpot", "TPOT", "Time per Output Token (excl. 1st token)", m => m.TpotMs),
        new("itl", "ITL", "Inter-token Latency", m => m.ItlMs),
        new("e2el", "E2EL", "End-to-end Latency", m => m.E2elMs),
        new("client_queue_time", "Client Queue Time", "Client-side Queueing", m => m.ClientQueueMs),
    ];

    /// <summary>Parses "ttft,tpot,itl"; throws <see cref="ArgumentException"/> naming the allowed keys.</summary>
    public static IReadOnlyList<string> Parse(string commaSeparated)
    {
        var keys = commaSeparated.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var key in keys)
        {
            if (All.All(m => m.Key != key))
                throw new ArgumentException($"--percentile-metrics accepts {string.Join(", ", All.Select(m => m.Key))}; got '{key}'.");
        }

        return keys;
    }
}
