using System.Globalization;
using LlmBench.Reports.Offline;

namespace LlmBench.Cli;

/// <summary>The end-of-run report on stdout: the score first, then what it rests on.</summary>
internal static class RunRendering
{
    public static void Write(TextWriter o, RunResult r)
    {
        void Line(FormattableString text) => o.WriteLine(text.ToString(CultureInfo.InvariantCulture));
        Line($"============ llmbench run {(r.Incomplete ? "INCOMPLETE " : "")}============");
        Line($"{"Score (output tok/s):",-34}{r.TotalOutputTokensPerSecond:0.0}");
        Line($"{"Verdict:",-34}{(r.Valid ? "valid" : "NOT VALID")}");
        foreach (var e in r.Engines)
        {
            if (LlmBench.Benchmarks.Running.VerdictAdvice.OneLine(e.Verdict, e.Activity, e.ConcurrencyTarget, e.Incomplete, e.Error) is { } why)
                Line($"{"Why:",-34}{(r.Engines.Count > 1 ? e.Device + ": " : "")}{why}");
        }

        Line($"{"Generations/s:",-34}{r.TotalGenerationsPerSecond:0.00}");
        Line($"{"Output tokens in window:",-34}{r.TotalOutputTokens}");
        Line($"{"Model:",-34}{r.Model.Description}");
        foreach (var e in r.Engines)
        {
            Line($"--- {e.Device}: {e.OutputTokensPerSecond:0.0} tok/s over {e.WindowSeconds:0.0} s (warm-up {e.WarmupSeconds:0.0} s), {e.ConcurrencyTarget} in flight");
            if (e.CompletedRequests > 0)
            {
                Line($"{"  TTFT p50 / p90 / p99 (ms):",-34}{e.Latency.TtftMs.Median:0.0} / {e.Latency.TtftMs.ValueAt(90):0.0} / {e.Latency.TtftMs.ValueAt(99):0.0}");
                Line($"{"  TPOT p50 / p90 / p99 (ms):",-34}{e.Latency.TpotMs.Median:0.00} / {e.Latency.TpotMs.ValueAt(90):0.00} / {e.Latency.TpotMs.ValueAt(99):0.00}");
            }
            else
            {
                Line($"{"  TTFT / TPOT:",-34}n/a: no request finished inside the window");
            }

            Line($"{"  Peak KV / preemptions:",-34}{e.Activity.PeakKvCacheUsage * 100:0.0} % / {e.Activity.Preemptions}");
            if (e.Floor is { } f)
                Line($"{"  Fraction of bandwidth floor:",-34}{f.FractionOfFloor * 100:0.0} % (floor {f.FloorOutputTokensPerSecond:0} tok/s at {f.BandwidthBytesPerSecond / 1e12:0.00} TB/s, {f.BandwidthSource})");
            if (e.Health is { } h)
            {
                Line($"{"  Temperature mean / max (°C):",-34}{h.MeanTemperatureC:0} / {h.MaxTemperatureC:0}");
                Line($"{"  Power mean / max (W):",-34}{h.MeanPowerWatts:0} / {h.MaxPowerWatts:0}");
                Line($"{"  SM clock mean / min (MHz):",-34}{h.MeanSmClockMHz:0} / {h.MinSmClockMHz:0}");
                Line($"{"  Energy per token (J):",-34}{e.JoulesPerOutputToken:0.0000} ({e.OutputTokensPerJoule:0.0} tok/J)");
            }

            foreach (var reason in e.Verdict.Reasons)
                Line($"  not valid: {reason}");
            foreach (var note in e.Verdict.Notes)
                Line($"  note: {note}");
        }

        var p = r.Platform;
        Line($"{"Platform:",-34}{p.Device}; GPU {p.GpuName ?? "none"}; driver {p.DriverVersion ?? "n/a"}; CUDA {p.CudaVersion ?? "n/a"}");
        Line($"{"Software:",-34}llmbench {p.LlmBenchVersion}; {p.DotnetVersion}; {p.OperatingSystem}; {p.CpuDescription}");
    }
}
