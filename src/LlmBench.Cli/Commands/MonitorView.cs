using System.Globalization;
using LlmBench.Gpu.Monitoring;
using LlmBench.Telemetry;
using Spectre.Console;

namespace LlmBench.Cli;

/// <summary>What `llmbench monitor` draws: the live table, plain rows when output is redirected, and the closing summary.</summary>
internal static class MonitorView
{
    public static Table Table(IReadOnlyList<(int Index, string Name)> gpus, IReadOnlyList<GpuSample> latest, TimeSpan elapsed)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"llmbench monitor, {elapsed:hh\\:mm\\:ss} (Ctrl-C to stop)");
        foreach (var column in new[] { "gpu", "util %", "mem util %", "mem used", "temp", "power", "energy", "SM clock", "mem clock", "pstate", "clock events" })
            table.AddColumn(column);
        foreach (var (index, name) in gpus)
        {
            var r = latest.FirstOrDefault(s => s.GpuIndex == index)?.Reading;
            table.AddRow(
                Markup.Escape($"{index} {name}"),
                Na(r?.GpuUtilizationPercent),
                Na(r?.MemoryUtilizationPercent),
                r?.MemoryUsedBytes is { } used ? $"{used / (double)(1L << 30):F1} GiB" : "n/a",
                Na(r?.TemperatureC, "°C"),
                Na(r?.PowerWatts, "W"),
                r?.EnergyMillijoules is { } mj ? $"{mj / 3.6e9:F3} kWh" : "n/a",
                Na(r?.SmClockMHz, "MHz"),
                Na(r?.MemoryClockMHz, "MHz"),
                r?.PerformanceState is { } p ? $"P{p}" : "n/a",
                Markup.Escape(r?.ClockEventReasons is { } reasons ? reasons.Describe() : "n/a"));
        }

        return table;
    }

    public static void WritePlainRows(TextWriter output, IReadOnlyList<GpuSample> round)
    {
        foreach (var s in round)
        {
            var r = s.Reading;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{s.ElapsedSeconds,7:F1}s gpu {s.GpuIndex} util {Na(r.GpuUtilizationPercent)}% mem {Na(r.MemoryUsedBytes / 1048576.0)} MiB " +
                $"temp {Na(r.TemperatureC)} C power {Na(r.PowerWatts)} W sm {Na(r.SmClockMHz)} MHz mem {Na(r.MemoryClockMHz)} MHz " +
                $"events {(r.ClockEventReasons is { } e ? e.Describe() : "n/a")}"));
        }
    }

    public static void WriteSummary(IAnsiConsole console, TelemetrySummary summary, string? csvPath)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("summary (mean / p50 / max)");
        table.AddColumn("gpu").AddColumn("samples").AddColumn("util %").AddColumn("power W").AddColumn("temp °C").AddColumn("SM MHz").AddColumn("energy").AddColumn("clock events (share of time)");
        foreach (var g in summary.Gpus)
        {
            var events = g.ClockEventShare.Where(kv => kv.Value > 0).Select(kv => $"{kv.Key} {100 * kv.Value:F0}%");
            table.AddRow(
                Markup.Escape($"{g.GpuIndex} {g.Name}"),
                $"{g.SampleCount} in {g.DurationSeconds:F1} s",
                Stats(g.GpuUtilizationPercent),
                Stats(g.PowerWatts),
                Stats(g.TemperatureC),
                Stats(g.SmClockMHz),
                g.EnergyJoules is { } j ? $"{j:F0} J ({(g.EnergySource == EnergySource.EnergyCounter ? "counter" : "∫ power")})" : "n/a",
                Markup.Escape(string.Join(", ", events) is { Length: > 0 } s ? s : "none"));
        }

        console.Write(table);
        if (csvPath is not null)
            console.MarkupLine($"samples written to {Markup.Escape(csvPath)}");
    }

    private static string Stats(FieldStatistics? s) => s is null ? "n/a" : $"{s.Mean:F0} / {s.P50:F0} / {s.Max:F0}";

    private static string Na(double? value, string unit = "") =>
        value is { } v ? (unit.Length > 0 ? $"{v:F0} {unit}" : v.ToString("F0", CultureInfo.InvariantCulture)) : "n/a";
}
