namespace LlmBench.Reports.Results;

/// <summary>
/// The "result_kind" every result JSON carries beside "schema_version" (docs/RESULTS.md): which command wrote it.
/// A new key, not a schema change: files written before it are recognised by their shape (<see cref="Reading.ResultReader"/>).
/// </summary>
public static class ResultKinds
{
    public const string Run = "run";
    public const string Throughput = "throughput";
    public const string Serve = "serve";
    public const string Sweep = "sweep";
    public const string Latency = "latency";
    public const string Profile = "profile";

    public static readonly IReadOnlyList<string> All = [Run, Throughput, Serve, Sweep, Latency, Profile];
}
