using LlmBench.Reports.Sweep;

namespace LlmBench.Benchmarks.Lockstep;

/// <summary>
/// The optimal batch sizes of a sweep, a pure function of its points: the highest output throughput; per length pair,
/// where throughput saturates (the smallest batch within 5 % of that pair's best); and with SLOs, the highest output
/// throughput whose p99 TPOT and p99 TTFT are within them. Only measured (ok) points count; saturation is per backend.
/// </summary>
public static class SweepChooser
{
    /// <summary>Within this share of the best counts as saturated.</summary>
    public const double SaturationTolerance = 0.05;

    public static SweepChoices Choose(IReadOnlyList<SweepPoint> points, SweepSlo slo)
    {
        var ok = points.Where(p => p.Status == SweepPointStatus.Ok && p.OutputThroughput is not null).ToArray();
        var best = Highest(ok);
        var saturation = ok.GroupBy(p => (p.Backend, p.InputLen, p.InputLenMax, p.OutputLen))
            .Select(g =>
            {
                double top = g.Max(p => p.OutputThroughput!.Value);
                return g.Where(p => p.OutputThroughput!.Value >= (1 - SaturationTolerance) * top).MinBy(p => p.BatchSize)!;
            })
            .ToArray();
        var sloChoice = slo.Any
            ? Highest(ok.Where(p => (slo.TpotMs is not { } tpot || p.P99TpotMs <= tpot) && (slo.TtftMs is not { } ttft || p.P99TtftMs <= ttft)))
            : null;
        return new SweepChoices(best, saturation, sloChoice, slo);
    }

    /// <summary>The highest output throughput; ties go to the smaller batch, then the earlier point.</summary>
    private static SweepPoint? Highest(IEnumerable<SweepPoint> points) =>
        points.OrderByDescending(p => p.OutputThroughput!.Value).ThenBy(p => p.BatchSize).FirstOrDefault();
}
