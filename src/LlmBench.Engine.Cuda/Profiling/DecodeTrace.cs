using LlmBench.Gpu.Tracing;

namespace LlmBench.Engine.Cuda.Profiling;

/// <summary>One kernel name's part of a traced step, averaged over the traced steps.</summary>
/// <param name="Share">Of the summed kernel time (kernels that overlap under programmatic launch both count).</param>
public sealed record TracedKernel(string Name, double LaunchesPerStep, double MicrosecondsPerStep, double Share);

/// <summary>
/// Production decode steps as CUPTI saw them: the kernels of the graph replays, by name, and how much of each step's
/// span (first kernel start to last kernel end) the GPU was running some kernel.
/// </summary>
/// <param name="Steps">Steps with at least one kernel.</param>
/// <param name="SpanMicroseconds">Mean first-start-to-last-end time of a step on the GPU.</param>
/// <param name="BusyMicroseconds">Mean time within the span covered by at least one kernel.</param>
/// <param name="Dropped">Records CUPTI reported dropped (0 when the figures are complete).</param>
public sealed record DecodeTrace(int Steps, double LaunchesPerStep, double SpanMicroseconds, double BusyMicroseconds, IReadOnlyList<TracedKernel> Kernels, long Dropped)
{
    /// <summary>How the trace was taken, for the output to say.</summary>
    public static string MethodFor(bool graphs) =>
        "CUPTI activity records (concurrent kernels) of production decode steps: " +
        (graphs ? "CUDA graph replays with programmatic launch, as run and serve run them" : "eager launches (--enforce-eager)") +
        "; GPU timestamps of each kernel";

    /// <summary>Share of the span no kernel was running: launch latency and dependency gaps inside the step.</summary>
    public double IdleShare => SpanMicroseconds > 0 ? Math.Clamp(1 - (BusyMicroseconds / SpanMicroseconds), 0, 1) : 0;

    /// <summary>
    /// Groups <paramref name="kernels"/> into steps by the host-side marks <paramref name="stepStarts"/> (CUPTI's clock,
    /// taken before each step was launched; a kernel belongs to the last mark at or before its start, and kernels after
    /// <paramref name="end"/> or before the first mark to none).
    /// </summary>
    public static DecodeTrace Of(IReadOnlyList<KernelActivity> kernels, IReadOnlyList<ulong> stepStarts, ulong end, long dropped = 0)
    {
        ArgumentNullException.ThrowIfNull(kernels);
        ArgumentNullException.ThrowIfNull(stepStarts);
        if (stepStarts.Count == 0)
            throw new ArgumentException("At least one step mark is needed.", nameof(stepStarts));
        var steps = new List<KernelActivity>[stepStarts.Count];
        for (int i = 0; i < steps.Length; i++)
            steps[i] = [];
        foreach (var k in kernels)
        {
            if (k.StartNs < stepStarts[0] || k.StartNs > end)
                continue;
            int step = stepStarts.Count - 1;
            while (stepStarts[step] > k.StartNs)
                step--;
            steps[step].Add(k);
        }

        var traced = steps.Where(s => s.Count > 0).ToArray();
        if (traced.Length == 0)
            return new DecodeTrace(0, 0, 0, 0, [], dropped);
        double span = traced.Average(s => (s.Max(k => k.EndNs) - s.Min(k => k.StartNs)) / 1e3);
        double busy = traced.Average(s => Covered(s) / 1e3);
        var all = traced.SelectMany(s => s).ToArray();
        double total = all.Sum(k => k.Microseconds);
        var rows = all.GroupBy(k => k.Name, StringComparer.Ordinal)
            .Select(g => new TracedKernel(g.Key, (double)g.Count() / traced.Length, g.Sum(k => k.Microseconds) / traced.Length, total > 0 ? g.Sum(k => k.Microseconds) / total : 0))
            .OrderByDescending(r => r.MicrosecondsPerStep)
            .ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToArray();
        return new DecodeTrace(traced.Length, (double)all.Length / traced.Length, span, busy, rows, dropped);
    }

    /// <summary>Nanoseconds covered by the union of the kernels' [start, end) intervals.</summary>
    private static double Covered(List<KernelActivity> kernels)
    {
        ulong covered = 0, reach = 0;
        foreach (var k in kernels.OrderBy(k => k.StartNs))
        {
            ulong from = Math.Max(k.StartNs, reach);
            if (k.EndNs > from)
                covered += k.EndNs - from;
            reach = Math.Max(reach, k.EndNs);
        }
        return covered;
    }
}
