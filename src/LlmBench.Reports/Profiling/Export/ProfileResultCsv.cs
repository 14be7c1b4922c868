using LlmBench.Reports.Results;

namespace LlmBench.Reports.Profiling.Export;

/// <summary>
/// `llmbench profile` as CSV: one row per step and role, then one per kernel of the CUPTI trace when it ran (step
/// "decode trace", family "cupti", no byte columns: a kernel name has no role to count bytes for).
/// </summary>
public static class ProfileResultCsv
{
    /// <summary>A row: a role of a profiled step, or a kernel of the trace.</summary>
    public sealed record Row(ProfileResult Result, string Step, int? StepTokens, string Role, string Family, double Calls, double MicrosecondsPerStep, double Share,
        double? Bytes, double? AchievedBytesPerSecond, double? FractionOfPeak);

    public const string TraceStep = "decode trace";

    public static readonly IReadOnlyList<CsvColumn<Row>> Columns =
    [
        new("date", x => x.Result.Date),
        new("model", x => x.Result.Model.Name),
        new("device", x => x.Result.Platform.Device),
        new("batch_size", x => x.Result.BatchSize),
        new("input_len", x => x.Result.InputLen),
        new("step", x => x.Step),
        new("step_tokens", x => x.StepTokens),
        new("role", x => x.Role),
        new("family", x => x.Family),
        new("calls", x => x.Calls),
        new("us_per_step", x => x.MicrosecondsPerStep),
        new("share", x => x.Share),
        new("bytes", x => x.Bytes),
        new("achieved_bytes_per_s", x => x.AchievedBytesPerSecond),
        new("fraction_of_peak", x => x.FractionOfPeak),
        new("git_commit", x => x.Result.Configuration.GitCommit),
    ];

    public static IEnumerable<Row> Rows(ProfileResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        foreach (var step in new[] { result.Prefill, result.Decode })
        {
            foreach (var r in step.Roles)
                yield return new Row(result, step.Name, step.Tokens, r.Role, r.Family, r.Calls, r.MicrosecondsPerStep, r.Share, r.Bytes, r.AchievedBytesPerSecond, r.FractionOfPeak);
        }
        foreach (var k in result.DecodeTrace?.Kernels ?? [])
            yield return new Row(result, TraceStep, null, k.Name, "cupti", k.LaunchesPerStep, k.MicrosecondsPerStep, k.Share, null, null, null);
    }

    public static void Write(ProfileResult result, Stream destination) => CsvTable.Write(destination, Columns, Rows(result));
}
