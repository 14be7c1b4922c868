using System.Globalization;
using System.Text;
using LlmBench.Reports.Results;

namespace LlmBench.Reports.Offline.Export;

/// <summary>The sections every Markdown result ends with: where it ran, and how to run it again.</summary>
internal static class MarkdownParts
{
    /// <summary>The lines under every result's title: "- Date: …; start-up … s" and "- Model: …", with the dummy-weights warning.</summary>
    public static string DateAndModel(string date, double startupSeconds, ModelInfo model) => string.Create(CultureInfo.InvariantCulture,
        $"- Date: {date}; start-up {startupSeconds:0.0} s\n- Model: {model.Description}{(model.DummyWeights ? " — dummy weights: the speed is real, the text is not" : "")}\n");

    public static string Platform(PlatformInfo p, ResultConfiguration c)
    {
        var b = new StringBuilder();
        void Line(FormattableString text) => b.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        b.AppendLine();
        b.AppendLine("## Platform");
        b.AppendLine();
        Line($"- Device: {p.Device}{(p.DeviceNote is null ? "" : $" ({p.DeviceNote})")}");
        Line($"- GPU: {p.GpuName ?? "none"}; driver {p.DriverVersion ?? "n/a"}; CUDA {p.CudaVersion ?? "n/a"}");
        Line($"- llmbench {p.LlmBenchVersion}; {p.DotnetVersion}; {p.OperatingSystem}; CPU {p.CpuDescription} ({p.CpuCores} cores)");
        b.AppendLine();
        b.AppendLine("## Configuration");
        b.AppendLine();
        Line($"- Schema version: {ResultSchema.Version}");
        Line($"- Command line: `{string.Join(' ', c.CommandLine)}`");
        Line($"- Engine options: {string.Join(", ", c.EngineOptions.Select(kv => $"{kv.Key}={kv.Value}"))}");
        Line($"- Seed: {c.Seed}; git commit {c.GitCommit}; llmbench {c.LlmBenchVersion}");
        return b.ToString();
    }

    public static void Write(string markdown, Stream destination)
    {
        using var w = new StreamWriter(destination, new UTF8Encoding(false), leaveOpen: true);
        w.Write(markdown);
    }
}
