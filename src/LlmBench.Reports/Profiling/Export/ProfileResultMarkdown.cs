using System.Globalization;
using System.Text;
using LlmBench.Reports.Offline.Export;

namespace LlmBench.Reports.Profiling.Export;

/// <summary>`llmbench profile` as Markdown: one table per step, then platform and configuration.</summary>
public static class ProfileResultMarkdown
{
    public static string Render(ProfileResult r)
    {
        var b = new StringBuilder();
        void Line(FormattableString text) => b.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        Line($"# Step profile: {r.Model.Name}, batch {r.BatchSize}, input {r.InputLen}, output {r.OutputLen}");
        b.AppendLine();
        Line($"- Device: {r.Platform.Device}; measured peak bandwidth {(r.PeakBandwidthBytesPerSecond is { } bw ? $"{bw / 1e12:0.00} TB/s" : "unknown (run `llmbench peak`)")}");
        Line($"- Production decode step ({(r.Graphs ? "CUDA graphs" : "eager")}, median of {r.TimedSteps}): GPU {r.DecodeStepGpuMs * 1e3:0.0} µs, host {r.DecodeStepHostMs * 1e3:0.0} µs (GPU idle {r.DecodeIdleShare:P1} of the step, waiting for the host)");
        Line($"- Method: {r.Method}");
        foreach (var step in new[] { r.Prefill, r.Decode })
        {
            b.AppendLine();
            Line($"## {step.Name}: {step.Tokens} tokens, {step.Calls} calls, Σ {step.KernelMs * 1e3:0.0} µs, at least {step.Bytes / 1e6:0.0} MB");
            b.AppendLine();
            b.AppendLine("| role | family | calls | µs/step | share | MB | GB/s | of peak |");
            b.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var role in step.Roles)
                Line($"| {role.Role} | {role.Family} | {role.Calls} | {role.MicrosecondsPerStep:0.0} | {role.Share:P1} | {role.Bytes / 1e6:0.0} | {role.AchievedBytesPerSecond / 1e9:0} | {(role.FractionOfPeak is { } f ? f.ToString("P0", CultureInfo.InvariantCulture) : "n/a")} |");
        }
        b.AppendLine();
        if (r.DecodeTrace is { } t)
        {
            Line($"## Production decode steps, traced: {t.Steps} steps, {t.LaunchesPerStep:0.#} kernels per step, span {t.SpanMicroseconds:0.0} µs, busy {t.BusyMicroseconds:0.0} µs (GPU idle {t.IdleShare:P1} of the span between kernels)");
            b.AppendLine();
            Line($"Method: {t.Method}.{(t.Dropped > 0 ? $" CUPTI dropped {t.Dropped} records, so these figures are incomplete." : "")}");
            b.AppendLine();
            b.AppendLine("| kernel | launches/step | µs/step | share |");
            b.AppendLine("| --- | ---: | ---: | ---: |");
            foreach (var k in t.Kernels)
                Line($"| {k.Name.Replace("|", "\\|", StringComparison.Ordinal)} | {k.LaunchesPerStep:0.##} | {k.MicrosecondsPerStep:0.0} | {k.Share:P1} |");
        }
        else
        {
            Line($"Production decode steps were not traced: {r.DecodeTraceNote ?? "no reason recorded"}.");
        }
        b.Append(MarkdownParts.Platform(r.Platform, r.Configuration));
        return b.ToString();
    }

    public static void Write(ProfileResult result, Stream destination) => MarkdownParts.Write(Render(result), destination);
}
