using LlmBench.Benchmarks.Lockstep;
using LlmBench.Reports.Offline;
using LlmBench.Reports.Sweep;

namespace LlmBench.Benchmarks.Results;

/// <summary>
/// `sweep --gpus`: each point measured on every GPU at once, combined into the point that is saved, with each GPU's own
/// point under it (<see cref="SweepPoint.PerGpu"/>). Rates (output and total tok/s, requests/s, prefill tok/s) are the
/// GPUs' sums: data-parallel capacity, each GPU refilled on its own. Means (TTFT, TPOT, decode step, GPU utilization,
/// fraction of each GPU's own floor) are the GPUs' mean, exact for the means since every GPU runs the same batch; p99s
/// and peaks (GPU memory, KV blocks) are the worst GPU's, so an SLO choice holds on every GPU. The point is ok only
/// when every GPU measured it, and only then carries the <see cref="GpuAgreement"/> of the GPUs' output tok/s.
/// </summary>
public static class SweepAcrossGpus
{
    /// <param name="devices">Each GPU as results name it ("cuda:1 NVIDIA H100 80GB HBM3"), in --gpus order.</param>
    /// <param name="perGpu">Each GPU's points in grid order; a GPU stopped by Ctrl-C may have fewer (the rest are dropped).</param>
    public static IReadOnlyList<SweepPoint> Combine(IReadOnlyList<string> devices, IReadOnlyList<IReadOnlyList<SweepPoint>> perGpu)
    {
        if (devices.Count < 2 || devices.Count != perGpu.Count)
            throw new ArgumentException("Combining needs one device and one list of points per GPU, at least two GPUs.", nameof(perGpu));
        int count = perGpu.Min(points => points.Count);
        return Enumerable.Range(0, count).Select(i => Point(perGpu.Select((points, g) => points[i] with { Device = devices[g] }).ToArray())).ToArray();
    }

    /// <summary>One point from each GPU's (same backend, batch and lengths; each with its <see cref="SweepPoint.Device"/>).</summary>
    public static SweepPoint Point(IReadOnlyList<SweepPoint> gpus)
    {
        var first = gpus[0];
        if (gpus.Any(g => g.Backend != first.Backend || SweepShape.Of(g) != SweepShape.Of(first)))
            throw new ArgumentException("Every GPU's point must be the same backend, batch and lengths.", nameof(gpus));
        var combined = SweepShape.Of(first).Point(first.Backend, SweepPointStatus.Ok, null) with
        {
            PerGpu = gpus,
            CompileSeconds = gpus.Max(g => g.CompileSeconds),
            CompileMode = first.CompileMode,
        };
        if (gpus.FirstOrDefault(g => g.Status != SweepPointStatus.Ok) is { } off)
        {
            var notes = gpus.Where(g => g.Status != SweepPointStatus.Ok).Select(g => g.Note).Distinct().Count();
            return combined with { Status = off.Status, Note = notes == 1 && gpus.All(g => g.Status == off.Status) ? off.Note : $"{off.Device}: {off.Note}" };
        }

        return combined with
        {
            OutputThroughput = Sum(gpus, g => g.OutputThroughput),
            TotalTokenThroughput = Sum(gpus, g => g.TotalTokenThroughput),
            RequestsPerSecond = Sum(gpus, g => g.RequestsPerSecond),
            PrefillTokensPerSecond = Sum(gpus, g => g.PrefillTokensPerSecond),
            MeanTtftMs = Mean(gpus, g => g.MeanTtftMs),
            MeanTpotMs = Mean(gpus, g => g.MeanTpotMs),
            DecodeStepMs = Mean(gpus, g => g.DecodeStepMs),
            GpuUtilizationPct = Mean(gpus, g => g.GpuUtilizationPct),
            FractionOfFloor = Mean(gpus, g => g.FractionOfFloor),
            P99TtftMs = gpus.Max(g => g.P99TtftMs),
            P99TpotMs = gpus.Max(g => g.P99TpotMs),
            GpuMemoryUsedBytes = gpus.Max(g => g.GpuMemoryUsedBytes),
            KvBlocksUsed = gpus.Max(g => g.KvBlocksUsed),
            Agreement = GpuAgreement.From(gpus.Select(g => g.Device ?? "?").ToArray(), gpus.Select(g => g.OutputThroughput ?? 0).ToArray()),
        };
    }

    /// <summary>The GPUs' sum, or null when any GPU lacks the figure.</summary>
    private static double? Sum(IReadOnlyList<SweepPoint> gpus, Func<SweepPoint, double?> figure) =>
        gpus.All(g => figure(g) is not null) ? gpus.Sum(g => figure(g)!.Value) : null;

    /// <summary>The GPUs' mean, or null when any GPU lacks the figure (the CPU, no NVML, no known bandwidth).</summary>
    private static double? Mean(IReadOnlyList<SweepPoint> gpus, Func<SweepPoint, double?> figure) =>
        gpus.All(g => figure(g) is not null) ? gpus.Average(g => figure(g)!.Value) : null;
}
