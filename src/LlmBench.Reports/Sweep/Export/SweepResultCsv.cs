using LlmBench.Reports.Results;

namespace LlmBench.Reports.Sweep.Export;

/// <summary>`sweep.csv`: one row per point, the JSON point keys as columns, then the run's seed, commit and version.</summary>
public static class SweepResultCsv
{
    public static void Write(SweepResult result, Stream destination)
    {
        CsvColumn<SweepPoint>[] columns =
        [
            new("model", _ => result.Model.Name),
            .. SweepPointColumns.All,
            new("incomplete", _ => result.Incomplete),
            new("seed", _ => result.Configuration.Seed),
            new("git_commit", _ => result.Configuration.GitCommit),
            new("llmbench_version", _ => result.Configuration.LlmBenchVersion),
        ];
        CsvTable.Write(destination, columns, result.Points);
    }
}
