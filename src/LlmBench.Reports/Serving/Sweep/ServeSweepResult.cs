using LlmBench.Reports.Results;
using LlmBench.Reports.Statistics;

namespace LlmBench.Reports.Serving.Sweep;

/// <summary>
/// One measured load of a `bench serve` sweep or SLO search: the point's run, summed up for the sweep files, and the
/// result JSON it was saved to (null when it was not saved).
/// </summary>
public sealed record ServeSweepPoint(ServingResult Result, string? ResultFile)
{
    public double RequestRate => Result.Info.RequestRate;
    public int? MaxConcurrency => Result.Info.MaxConcurrency;
    public ServingMetrics Metrics => Result.Metrics;

    /// <summary>Every request succeeded (and there was at least one).</summary>
    public bool Success => Metrics.Failed == 0 && Metrics.Completed > 0;

    /// <summary>Mean, median and P99 of TTFT, TPOT, ITL and E2EL over the successful requests, whatever --metric-percentiles asked.</summary>
    public DistributionSummary Latency(string metric) => DistributionSummary.Compute(Values(metric), SummaryPercentiles);

    /// <summary>One latency's values over the successful requests, on the run's --latency-from basis.</summary>
    public IEnumerable<double> Values(string metric)
    {
        var ok = Result.MeasuredRecords.Where(r => r.Success).ToArray();
        return metric switch
        {
            "ttft" => ok.Select(r => r.TtftMs),
            "tpot" => ok.Select(r => r.TpotMs).OfType<double>(),
            "itl" => ok.SelectMany(r => r.ItlMs),
            "e2el" => ok.Select(r => r.E2elMs),
            _ => throw new ArgumentException($"No latency metric '{metric}'.", nameof(metric)),
        };
    }

    public static readonly IReadOnlyList<double> SummaryPercentiles = [50, 99];

    /// <summary>The latencies every sweep row carries.</summary>
    public static readonly IReadOnlyList<string> LatencyMetrics = ["ttft", "tpot", "itl", "e2el"];
}

/// <summary>One probe of an SLO search as the summary records it.</summary>
public sealed record SloProbe(double Load, double TtftMs, double TpotMs, double E2elMs, bool Success, bool Passed);

/// <summary>
/// --search: the highest load (max_concurrency or request_rate) whose requests met the --goodput SLO at the search
/// percentile with every request successful; <see cref="Answer"/> is null when no probed load passed.
/// </summary>
public sealed record SloSearchSummary(
    string Dimension,
    double Percentile,
    GoodputSlo Slo,
    double Start,
    int MaxRuns,
    IReadOnlyList<SloProbe> Probes,
    double? Answer);

/// <summary>
/// A `bench serve` sweep (--max-concurrency / --request-rate as comma lists) or SLO search: the points measured in
/// order, and when the run stopped early, why (the points before the error are kept).
/// </summary>
public sealed record ServeSweepResult(IReadOnlyList<ServeSweepPoint> Points)
{
    /// <summary>"serve_sweep", beside "schema_version" in sweep.json.</summary>
    public const string ResultKind = "serve_sweep";

    public ResultConfiguration Configuration { get; init; } = ResultConfiguration.None;

    /// <summary>The loads that were asked for, measured or not (in sweep order); empty for a search.</summary>
    public int PlannedPoints { get; init; }

    public SloSearchSummary? Search { get; init; }

    /// <summary>The error that stopped the sweep before its last point, or null.</summary>
    public string? Error { get; init; }
}

/// <summary>Whether one measured load meets an SLO at a percentile: every request successful and each given limit held.</summary>
public static class SloCheck
{
    public static SloProbe Probe(double load, ServeSweepPoint point, GoodputSlo slo, double percentile)
    {
        double At(string metric) => DistributionSummary.Compute(point.Values(metric), [percentile]).ValueAt(percentile);

        var ttft = At("ttft");
        var tpot = At("tpot");
        var e2el = At("e2el");
        var passed = point.Success
                     && (slo.TtftMs is not { } t || ttft <= t)
                     && (slo.TpotMs is not { } p || tpot <= p)
                     && (slo.E2elMs is not { } e || e2el <= e);
        return new SloProbe(load, ttft, tpot, e2el, point.Success, passed);
    }
}
