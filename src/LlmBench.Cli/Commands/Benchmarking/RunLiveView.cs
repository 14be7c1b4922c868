using System.Globalization;
using LlmBench.Benchmarks.Health;
using LlmBench.Benchmarks.Running;
using LlmBench.Gpu.Monitoring;
using LlmBench.Telemetry;
using Spectre.Console;

namespace LlmBench.Cli;

/// <summary>
/// The live view of a `run`: a Spectre.Console table refreshed twice a second on a terminal, one plain line per
/// engine every few seconds otherwise (logs, CI). It only reads snapshots; the engines never wait for it.
/// </summary>
internal static class RunLiveView
{
    private static readonly TimeSpan LiveRefresh = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan PlainRefresh = TimeSpan.FromSeconds(5);

    public static async Task ShowAsync(Task work, IReadOnlyList<RunLane> lanes, GpuTelemetryWindow? telemetry, CancellationToken cancellationToken)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            while (!work.IsCompleted)
            {
                await Task.WhenAny(work, Task.Delay(PlainRefresh, CancellationToken.None));
                if (!work.IsCompleted)
                    WritePlain(Console.Error, lanes, telemetry);
            }

            return;
        }

        await AnsiConsole.Live(Table(lanes, telemetry, cancellationToken.IsCancellationRequested)).AutoClear(false).StartAsync(async context =>
        {
            while (!work.IsCompleted)
            {
                await Task.WhenAny(work, Task.Delay(LiveRefresh, CancellationToken.None));
                context.UpdateTarget(Table(lanes, telemetry, cancellationToken.IsCancellationRequested));
            }
        });
    }

    private static Table Table(IReadOnlyList<RunLane> lanes, GpuTelemetryWindow? telemetry, bool stopping)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title(stopping ? "llmbench run — stopping (Ctrl-C), saving what was measured" : "llmbench run");
        string[] columns = ["device", "phase", "elapsed", "remaining", "tok/s now", "tok/s avg", "running", "waiting", "KV", "done", "temp", "power", "SM clock", "throttle"];
        foreach (var column in columns)
            table.AddColumn(column);
        foreach (var lane in lanes)
        {
            var s = lane.Status;
            var g = Gpu(lane, telemetry);
            table.AddRow(Markup.Escape(lane.Engine?.DeviceDescription ?? lane.Spec.Device), s.WarmingUp ? "[yellow]warm-up[/]" : "[green]measuring[/]",
                F($"{s.ElapsedSeconds:0} s"), F($"{s.RemainingSeconds:0} s"), F($"{s.RecentOutputTokensPerSecond:0.0}"), F($"{s.AverageOutputTokensPerSecond:0.0}"),
                F($"{s.RunningRequests}"), F($"{s.WaitingRequests}"), F($"{s.KvCacheUsage * 100:0} %"), F($"{s.CompletedRequests}"),
                g.Temperature, g.Power, g.SmClock, Markup.Escape(g.Throttle));
        }

        return table;
    }

    private static void WritePlain(TextWriter o, IReadOnlyList<RunLane> lanes, GpuTelemetryWindow? telemetry)
    {
        foreach (var lane in lanes)
        {
            var s = lane.Status;
            var g = Gpu(lane, telemetry);
            o.WriteLine(F($"[{lane.Engine?.DeviceDescription ?? lane.Spec.Device}] {(s.WarmingUp ? "warm-up" : "measuring")} elapsed {s.ElapsedSeconds:0} s, remaining {s.RemainingSeconds:0} s, {s.RecentOutputTokensPerSecond:0.0} tok/s now, {s.AverageOutputTokensPerSecond:0.0} avg, running {s.RunningRequests}, waiting {s.WaitingRequests}, KV {s.KvCacheUsage * 100:0} %, done {s.CompletedRequests}")
                + (lane.Gpu is null ? "" : $", {g.Temperature}, {g.Power}, SM {g.SmClock}, throttle {g.Throttle}"));
        }
    }

    private static (string Temperature, string Power, string SmClock, string Throttle) Gpu(RunLane lane, GpuTelemetryWindow? telemetry)
    {
        if (lane.Gpu?.NvmlIndex is not { } index || telemetry?.Latest.FirstOrDefault(x => x.GpuIndex == index) is not GpuSample sample)
            return ("n/a", "n/a", "n/a", "n/a");
        var r = sample.Reading;
        var throttle = r.ClockEventReasons is { } reasons ? (reasons & GpuHealthBuilder.Throttling).Describe() : "n/a";
        return (r.TemperatureC is { } t ? F($"{t} °C") : "n/a", r.PowerWatts is { } w ? F($"{w:0} W") : "n/a", r.SmClockMHz is { } c ? F($"{c} MHz") : "n/a", throttle);
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
