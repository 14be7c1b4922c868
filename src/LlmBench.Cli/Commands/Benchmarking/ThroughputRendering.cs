using System.Globalization;
using LlmBench.Reports.Offline;

namespace LlmBench.Cli;

/// <summary>The throughput result as a short text report on stdout.</summary>
internal static class ThroughputRendering
{
    public static void Write(TextWriter o, ThroughputResult r)
    {
        void Line(FormattableString text) => o.WriteLine(text.ToString(CultureInfo.InvariantCulture));
        Line($"============ Offline throughput ({r.Workload.Name}) {(r.Incomplete ? "INCOMPLETE " : "")}============");
        Line($"{"Model:",-34}{r.Model.Description}");
        Line($"{"Device:",-34}{r.Platform.Device}");
        Line($"{"Workload:",-34}{r.Workload.Description}");
        Line($"{"Requests completed:",-34}{r.CompletedRequests}/{r.Requests}");
        Line($"{"Elapsed (s):",-34}{r.ElapsedSeconds:0.000}");
        Line($"{"Requests/s:",-34}{r.RequestsPerSecond:0.00}");
        Line($"{"Output tok/s:",-34}{r.OutputTokensPerSecond:0.0}");
        Line($"{"Total tok/s:",-34}{r.TotalTokensPerSecond:0.0}");
        Line($"{"TTFT p50 / p90 / p99 (ms):",-34}{r.Latency.TtftMs.Median:0.0} / {r.Latency.TtftMs.ValueAt(90):0.0} / {r.Latency.TtftMs.ValueAt(99):0.0}");
        Line($"{"TPOT p50 / p90 / p99 (ms):",-34}{r.Latency.TpotMs.Median:0.00} / {r.Latency.TpotMs.ValueAt(90):0.00} / {r.Latency.TpotMs.ValueAt(99):0.00}");
        Line($"{"Peak KV cache usage:",-34}{r.Activity.PeakKvCacheUsage * 100:0.0} %");
        Line($"{"Preemptions:",-34}{r.Activity.Preemptions}");
        if (r.Floor is { } f)
            Line($"{"Fraction of bandwidth floor:",-34}{f.FractionOfFloor * 100:0.0} % (floor {f.FloorOutputTokensPerSecond:0} tok/s at {f.BandwidthBytesPerSecond / 1e12:0.00} TB/s, {f.BandwidthSource})");
        else
            Line($"{"Fraction of bandwidth floor:",-34}{r.FloorNote}");
        if (r.PerGpu is { } perGpu && r.Agreement is { } agreement)
        {
            for (int i = 0; i < perGpu.Count; i++)
                Line($"{$"  {perGpu[i].Platform.Device}:",-34}{perGpu[i].OutputTokensPerSecond:0.0} output tok/s ({agreement.DeviationsPercent[i]:+0.0;-0.0;0.0} % of the mean)");
            Line($"{"GPUs:",-34}{agreement.Summary()}");
        }

        Line($"{"Start-up (s):",-34}{r.StartupSeconds:0.00}");
        Line($"{"Dummy weights:",-34}{(r.Model.DummyWeights ? "yes" : "no")}");
        Line($"{"llmbench / .NET:",-34}{r.Platform.LlmBenchVersion} / {r.Platform.DotnetVersion}");
    }
}
