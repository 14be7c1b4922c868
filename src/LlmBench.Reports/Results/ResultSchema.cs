namespace LlmBench.Reports.Results;

/// <summary>
/// The version of the result file format (docs/RESULTS.md), written as "schema_version" into every result file.
/// Raise it when a key changes meaning or goes away; adding a key does not need a new version.
/// </summary>
public static class ResultSchema
{
    public const int Version = 1;
}
