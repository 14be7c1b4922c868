using LlmBench.Reports.Results;

namespace LlmBench.Reports.Sweep.Export;

/// <summary>
/// `sweep.csv`: one row per point, the JSON point keys as columns, then the run's seed, commit and version. With --gpus
/// a "gpu" column comes first and each point's total row ("total") is followed by one row per GPU (its device), with
/// that GPU's deviation from the GPUs' mean and, on the total row, whether they agree.
/// </summary>
public static class SweepResultCsv
{
    /// <param name="Total">The point a per-GPU row belongs to; null on a point's own row.</param>
    private sealed record Row(SweepPoint Point, SweepPoint? Total, int Index);

    public static void Write(SweepResult result, Stream destination)
    {
        bool perGpu = result.Points.Any(p => p.PerGpu is not null);
        CsvColumn<Row>[] gpu = perGpu ? [new("gpu", r => r.Total is null ? "total" : r.Point.Device)] : [];
        CsvColumn<Row>[] agreement = perGpu
            ?
            [
                new("deviation_from_mean_pct", r => r.Total?.Agreement?.DeviationsPercent[r.Index]),
                new("gpus_agree", r => r.Total is null ? r.Point.Agreement?.Agree : null),
            ]
            : [];
        CsvColumn<Row>[] columns =
        [
            new("model", _ => result.Model.Name),
            .. gpu,
            .. SweepPointColumns.All.Select(c => new CsvColumn<Row>(c.Name, r => c.Value(r.Point))),
            .. agreement,
            new("incomplete", _ => result.Incomplete),
            new("seed", _ => result.Configuration.Seed),
            new("git_commit", _ => result.Configuration.GitCommit),
            new("llmbench_version", _ => result.Configuration.LlmBenchVersion),
        ];
        var rows = result.Points.SelectMany(p => (IEnumerable<Row>)[new Row(p, null, 0), .. (p.PerGpu ?? []).Select((g, i) => new Row(g, p, i))]);
        CsvTable.Write(destination, columns, rows.ToArray());
    }
}
