using LlmBench.Reports.Results;

namespace LlmBench.Reports.Profiling.Export;

/// <summary>`llmbench profile` as CSV: one row per step and role.</summary>
public static class ProfileResultCsv
{
    public static readonly IReadOnlyList<CsvColumn<(ProfileResult Result, ProfiledStep Step, ProfiledRole Role)>> Columns =
    [
        new("date", x => x.Result.Date),
        new("model", x => x.Result.Model.Name),
        new("device", x => x.Result.Platform.Device),
        new("batch_size", x => x.Result.BatchSize),
        new("input_len", x => x.Result.InputLen),
        new("step", x => x.Step.Name),
        new("step_tokens", x => x.Step.Tokens),
        new("role", x => x.Role.Role),
        new("family", x => x.Role.Family),
        new("calls", x => x.Role.Calls),
        new("us_per_step", x => x.Role.MicrosecondsPerStep),
        new("share", x => x.Role.Share),
        new("bytes", x => x.Role.Bytes),
        new("achieved_bytes_per_s", x => x.Role.AchievedBytesPerSecond),
        new("fraction_of_peak", x => x.Role.FractionOfPeak),
        new("git_commit", x => x.Result.Configuration.GitCommit),
    ];

    public static void Write(ProfileResult result, Stream destination) =>
        CsvTable.Write(destination, Columns, new[] { result.Prefill, result.Decode }.SelectMany(s => s.Roles.Select(r => (result, s, r))));
}
