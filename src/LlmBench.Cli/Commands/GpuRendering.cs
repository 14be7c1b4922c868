using System.Globalization;
using LlmBench.Gpu.Monitoring;
using Spectre.Console;

namespace LlmBench.Cli;

/// <summary>The tables of `llmbench gpu`. Fields NVML does not report show as "n/a".</summary>
internal static class GpuRendering
{
    public static void Write(IAnsiConsole console, GpuReport report)
    {
        console.MarkupLine($"driver [bold]{Markup.Escape(report.DriverVersion ?? "n/a")}[/], CUDA [bold]{Markup.Escape(report.CudaDriverVersion)}[/], {report.Gpus.Count} GPU(s)");
        foreach (var gpu in report.Gpus)
        {
            var table = new Table().Border(TableBorder.Rounded).Title($"GPU {gpu.Cuda.Ordinal}: {Markup.Escape(gpu.Cuda.Name)}");
            table.AddColumn("field").AddColumn("value");
            foreach (var (field, value) in Rows(gpu))
                table.AddRow(Markup.Escape(field), Markup.Escape(value));
            console.Write(table);
            if (gpu.UnsupportedReason is { } reason)
                console.MarkupLine($"[yellow]{Markup.Escape(reason)}[/]");
        }

        var libraries = new Table().Border(TableBorder.Rounded).Title("libraries");
        libraries.AddColumn("library").AddColumn("version").AddColumn("path or problem");
        foreach (var library in report.Libraries)
            libraries.AddRow(Markup.Escape(library.Name), Markup.Escape(library.Version ?? "n/a"), Markup.Escape(library.Path ?? library.Problem ?? "n/a"));
        console.Write(libraries);
        if (report.NvmlProblem is { } problem)
            console.MarkupLine($"[yellow]NVML is unavailable, so power, temperature, clocks and PCIe show as n/a: {Markup.Escape(problem)}[/]");
    }

    private static IEnumerable<(string Field, string Value)> Rows(GpuEntry gpu)
    {
        var c = gpu.Cuda;
        var n = gpu.Nvml;
        var now = gpu.Now;
        yield return ("uuid", c.Uuid);
        yield return ("pci bus id", c.PciBusId);
        yield return ("compute capability", $"{c.ComputeCapability} ({c.ComputeCapability.Architecture})");
        yield return ("multiprocessors", c.MultiprocessorCount.ToString(CultureInfo.InvariantCulture));
        yield return ("memory total", GiB(c.TotalMemoryBytes));
        yield return ("memory free", now?.MemoryUsedBytes is { } used && now.MemoryTotalBytes is { } total ? GiB(total - used) : "n/a");
        var memClockMHz = n?.MaxMemoryClockMHz ?? c.MemoryClockKHz / 1000;
        yield return ("memory bus", $"{c.MemoryBusWidthBits} bit at {Na(memClockMHz, "MHz")}");
        var theoretical = memClockMHz is { } mhz ? LlmBench.Gpu.GpuDeviceInfo.TheoreticalBandwidth(mhz, c.MemoryBusWidthBits) : c.TheoreticalBandwidthBytesPerSecond;
        yield return ("theoretical bandwidth", theoretical is { } bw ? $"{bw / 1e9:F0} GB/s" : "n/a");
        yield return ("max SM clock", Na(n?.MaxSmClockMHz ?? c.MaxSmClockKHz / 1000, "MHz"));
        yield return ("L2 cache", $"{c.L2CacheBytes / (1 << 20)} MiB");
        yield return ("power limit", n?.PowerLimitWatts is { } watts ? $"{watts:F0} W" : "n/a");
        yield return ("power now", now?.PowerWatts is { } p ? $"{p:F0} W" : "n/a");
        yield return ("pstate", now?.PerformanceState is { } ps ? $"P{ps}" : "n/a");
        yield return ("temperature", Na(now?.TemperatureC, "°C"));
        yield return ("clocks now (SM / memory)", $"{Na(now?.SmClockMHz, "MHz")} / {Na(now?.MemoryClockMHz, "MHz")}");
        yield return ("clock event reasons", now?.ClockEventReasons is { } r ? r.Describe() : "n/a");
        yield return ("PCIe link (now / max)", $"gen {Na(n?.PcieGenerationCurrent)} x{Na(n?.PcieWidthCurrent)} / gen {Na(n?.PcieGenerationMax)} x{Na(n?.PcieWidthMax)}");
        yield return ("ECC", n?.EccEnabled is { } ecc ? OnOff(ecc) : OnOff(c.EccEnabled));
        yield return ("MIG", n?.MigEnabled is { } mig ? OnOff(mig) : "n/a");
        yield return ("datasheet", gpu.Datasheet is { } d
            ? $"{d.Model}: bf16 {Na(d.Bf16Tflops, "TFLOP/s")}, fp8 {Na(d.Fp8Tflops, "TFLOP/s")}, {d.MemoryBandwidthGBps:F0} GB/s"
            : "unknown");
        yield return ("measured (llmbench peak)", gpu.Measured?.CopyBandwidthBytesPerSecond is { } copy
            ? $"copy {copy / 1e12:F2} TB/s on {gpu.Measured.MeasuredAt:yyyy-MM-dd}"
            : "not measured yet: run `llmbench peak`");
    }

    private static string GiB(long bytes) => $"{bytes / (double)(1L << 30):F1} GiB";

    private static string Na(double? value, string unit = "") =>
        value is { } v ? (unit.Length > 0 ? $"{v:0.#} {unit}" : v.ToString("0.#", CultureInfo.InvariantCulture)) : "n/a";

    private static string OnOff(bool on) => on ? "on" : "off";
}
