using System.Globalization;
using LlmBench.LoadGen.Runner;
using LlmBench.Reports.Results;
using LlmBench.Reports.Serving.Sweep;

namespace LlmBench.Cli;

/// <summary>
/// The loads of a `bench serve` sweep (--max-concurrency / --request-rate as comma lists) or SLO search (--search), run
/// one after another against the same server by <paramref name="runPoint"/>. An error at a point (the server gone, the
/// initial test failing) stops the sweep; the points measured before it are kept in the result with the error.
/// </summary>
internal sealed class BenchServeSweep(
    BenchServeSettings settings,
    ResultConfiguration configuration,
    TextWriter output,
    Func<LoadPoint, CancellationToken, Task<ServeSweepPoint>> runPoint)
{
    public async Task<ServeSweepResult> RunGridAsync(CancellationToken cancellationToken)
    {
        var loads = settings.LoadPoints;
        var points = new List<ServeSweepPoint>();
        string? error = null;
        for (int i = 0; i < loads.Count && error is null; i++)
        {
            await output.WriteLineAsync($"Sweep point {i + 1}/{loads.Count}: {loads[i]}");
            (var point, error) = await TryRunAsync(loads[i], cancellationToken);
            if (point is not null)
                points.Add(point);
        }

        return new ServeSweepResult(points) { Configuration = configuration, PlannedPoints = loads.Count, Error = error };
    }

    public async Task<ServeSweepResult> SearchAsync(LoadSearchOptions search, double percentile, CancellationToken cancellationToken)
    {
        var dimension = search.Dimension == SearchDimension.MaxConcurrency ? "max_concurrency" : "request_rate";
        var percentileLabel = Reports.Statistics.PercentileValue.PercentileLabel(percentile);
        var points = new List<ServeSweepPoint>();
        var probes = new List<SearchProbe>();
        var records = new List<SloProbe>();
        string? error = null;
        while (error is null && LoadSearch.Next(probes, search) is { } load)
        {
            var at = search.Dimension == SearchDimension.MaxConcurrency
                ? new LoadPoint(settings.RequestRate, (int)load)
                : new LoadPoint(load, settings.MaxConcurrency);
            await output.WriteLineAsync($"Search run {probes.Count + 1}/{search.MaxRuns}: {at}");
            (var point, error) = await TryRunAsync(at, cancellationToken);
            if (point is null)
                break;
            points.Add(point);
            var probe = SloCheck.Probe(load, point, settings.Goodput, percentile);
            records.Add(probe);
            probes.Add(new SearchProbe(load, probe.Passed));
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Search probe {dimension}={load:0.###}: P{percentileLabel} TTFT {probe.TtftMs:F2} ms, P{percentileLabel} TPOT {probe.TpotMs:F2} ms, " +
                $"P{percentileLabel} E2EL {probe.E2elMs:F2} ms, success {point.Metrics.SuccessRate * 100:F2}%: {(probe.Passed ? "PASS" : "FAIL")}"));
        }

        var summary = new SloSearchSummary(dimension, percentile, settings.Goodput, search.Start, search.MaxRuns, records, LoadSearch.Answer(probes));
        await output.WriteLineAsync(ServeSweepExport.SearchAnswer(summary));
        return new ServeSweepResult(points) { Configuration = configuration, Search = summary, Error = error };
    }

    private async Task<(ServeSweepPoint? Point, string? Error)> TryRunAsync(LoadPoint load, CancellationToken cancellationToken)
    {
        try
        {
            return (await runPoint(load, cancellationToken), null);
        }
        catch (Exception ex) when (ex is UserErrorException or HttpRequestException)
        {
            return (null, $"The run at {load} failed: {ex.Message.TrimEnd('.')}; the points before it are saved.");
        }
    }
}
