using LlmBench.Gpu.Blas;
using LlmBench.Gpu.Peak;
using Spectre.Console;

namespace LlmBench.Cli;

/// <summary>The JSON shape of `llmbench peak --json`: the measurements with units in the key names.</summary>
internal sealed record PeakJson(
    string Gpu,
    string GpuUuid,
    string ComputeCapability,
    string? DatasheetModel,
    DateTimeOffset MeasuredAt,
    string NvrtcVersion,
    long CublasltVersion,
    int DriverCudaVersion,
    IReadOnlyList<PeakJson.Bandwidth> BandwidthResults,
    IReadOnlyList<PeakJson.Gemm> GemmResults,
    string? SavedTo)
{
    public static PeakJson From(PeakReport report, string? savedTo) => new(
        report.Device.Name,
        report.Device.Uuid,
        report.Device.ComputeCapability.ToString(),
        report.Datasheet?.Model,
        report.MeasuredAt,
        report.NvrtcVersion,
        report.CublasLtVersion,
        report.DriverCudaVersion,
        report.Bandwidth.Select(b => new Bandwidth(b.Method, b.BytesMoved, b.MedianMilliseconds, b.BytesPerSecond / 1e12,
            report.Datasheet is { } d ? b.BytesPerSecond / 1e9 / d.MemoryBandwidthGBps : null)).ToArray(),
        report.Gemm.Select(g => new Gemm(g.DataType.DisplayName(), g.Size, g.MedianMilliseconds, g.TflopsPerSecond,
            g.TflopsPerSecond / report.Datasheet?.TflopsFor(g.DataType), g.Skipped)).ToArray(),
        savedTo);

    public sealed record Bandwidth(string Method, long BytesMoved, double MedianMs, double TbPerS, double? FractionOfDatasheet);

    public sealed record Gemm(string Dtype, int Size, double? MedianMs, double? TflopPerS, double? FractionOfDatasheet, string? Skipped);
}

/// <summary>The tables of `llmbench peak`.</summary>
internal static class PeakRendering
{
    public static void Write(IAnsiConsole console, PeakReport report, string? savedTo)
    {
        var sheet = report.Datasheet;
        console.MarkupLine($"[bold]{Markup.Escape(report.Device.Name)}[/] ({Markup.Escape(report.Device.Uuid)}), datasheet: {Markup.Escape(sheet?.Model ?? "unknown")}");

        var bandwidth = new Table().Border(TableBorder.Rounded).Title("memory bandwidth (copies count bytes read + written)");
        bandwidth.AddColumn("method").AddColumn(new TableColumn("TB/s").RightAligned()).AddColumn(new TableColumn("datasheet").RightAligned()).AddColumn(new TableColumn("%").RightAligned());
        foreach (var b in report.Bandwidth)
        {
            var peak = sheet?.MemoryBandwidthGBps;
            bandwidth.AddRow(Markup.Escape(b.Method), $"{b.BytesPerSecond / 1e12:F2}", peak is { } p ? $"{p / 1000:F2}" : "unknown", Percent(b.BytesPerSecond / 1e9, peak));
        }

        console.Write(bandwidth);

        var gemm = new Table().Border(TableBorder.Rounded).Title("cuBLASLt GEMM, square, random data, fp32 accumulate");
        gemm.AddColumn("dtype").AddColumn(new TableColumn("size").RightAligned()).AddColumn(new TableColumn("ms").RightAligned())
            .AddColumn(new TableColumn("TFLOP/s").RightAligned()).AddColumn(new TableColumn("datasheet").RightAligned()).AddColumn(new TableColumn("%").RightAligned());
        foreach (var g in report.Gemm)
        {
            var peak = sheet?.TflopsFor(g.DataType);
            gemm.AddRow(
                g.DataType.DisplayName(),
                g.Size.ToString(System.Globalization.CultureInfo.InvariantCulture),
                g.MedianMilliseconds is { } ms ? $"{ms:F3}" : "-",
                g.TflopsPerSecond is { } t ? $"{t:F0}" : Markup.Escape(g.Skipped ?? "-"),
                peak is { } p ? $"{p:F0}" : (sheet is null ? "unknown" : "n/a"),
                Percent(g.TflopsPerSecond, peak));
        }

        console.Write(gemm);
        if (savedTo is not null)
            console.MarkupLine($"saved as this GPU's measured ceilings: {Markup.Escape(savedTo)}");
    }

    private static string Percent(double? measured, double? datasheet) =>
        measured is { } m && datasheet is { } d && d > 0 ? $"{100 * m / d:F0}%" : "-";
}
