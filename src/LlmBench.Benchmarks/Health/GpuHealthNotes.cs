using System.Globalization;
using LlmBench.Reports.Offline;

namespace LlmBench.Benchmarks.Health;

/// <summary>Sentences about throttling and memory for the verdict's notes (reported, not disqualifying).</summary>
public static class GpuHealthNotes
{
    public static IReadOnlyList<string> Throttling(GpuHealth health)
    {
        var notes = new List<string>();
        if (health.ThrottledShare is { } share)
        {
            var active = health.ThrottleShare.Where(kv => kv.Value > 0 && kv.Key is not ("idle" or "app-clocks" or "sync-boost"))
                .Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value * 100:0.#} %"));
            notes.Add(share > 0
                ? string.Create(CultureInfo.InvariantCulture, $"GPU {health.GpuIndex} was throttled in {share * 100:0.#} % of samples ({string.Join(", ", active)})")
                : $"GPU {health.GpuIndex} was not throttled");
        }

        if (health.MemoryUsedAtStartBytes is { } start && health.MemoryUsedAtEndBytes is { } end && start > 0)
        {
            double change = (end - start) / (double)start;
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"GPU {health.GpuIndex} memory used {start / 1048576.0:0} MiB at the window's start, {end / 1048576.0:0} MiB at its end ({change * 100:+0.0;-0.0} %)"));
        }

        return notes;
    }
}
