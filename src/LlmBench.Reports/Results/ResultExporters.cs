using LlmBench.Reports.Latency;
using LlmBench.Reports.Latency.Export;
using LlmBench.Reports.Offline;
using LlmBench.Reports.Offline.Export;
using LlmBench.Reports.Profiling;
using LlmBench.Reports.Profiling.Export;
using LlmBench.Reports.Serving;
using LlmBench.Reports.Serving.Export;
using LlmBench.Reports.Sweep;
using LlmBench.Reports.Sweep.Export;

namespace LlmBench.Reports.Results;

/// <summary>The formats each kind of result is saved in, in the order they are written (an HTML exporter joins these lists).</summary>
public static class ResultExporters
{
    public static readonly IReadOnlyList<IResultExporter<ThroughputResult>> Throughput =
    [
        new ResultExporter<ThroughputResult>(".json", ThroughputResultJson.Write),
        new ResultExporter<ThroughputResult>(".csv", ThroughputResultCsv.Write),
        new ResultExporter<ThroughputResult>(".md", ThroughputResultMarkdown.Write),
    ];

    public static readonly IReadOnlyList<IResultExporter<RunResult>> Run =
    [
        new ResultExporter<RunResult>(".json", RunResultJson.Write),
        new ResultExporter<RunResult>(".csv", RunResultCsv.Write),
        new ResultExporter<RunResult>(".md", RunResultMarkdown.Write),
    ];

    /// <summary>vLLM's JSON, one JSONL record per request, and the requests as CSV.</summary>
    public static readonly IReadOnlyList<IResultExporter<ServingResult>> Serving =
    [
        new ResultExporter<ServingResult>(".json", ServingResultJson.Write),
        new ResultExporter<ServingResult>(ServingResultFileName.RequestsSuffix, (r, s) => RequestRecordsJsonl.Write(r.Records, s)),
        new ResultExporter<ServingResult>(".csv", ServingResultCsv.Write),
    ];

    public static readonly IReadOnlyList<IResultExporter<ProfileResult>> Profile =
    [
        new ResultExporter<ProfileResult>(".json", ProfileResultJson.Write),
        new ResultExporter<ProfileResult>(".csv", ProfileResultCsv.Write),
        new ResultExporter<ProfileResult>(".md", ProfileResultMarkdown.Write),
    ];

    public static readonly IReadOnlyList<IResultExporter<LatencyResult>> Latency =
    [
        new ResultExporter<LatencyResult>(".json", LatencyResultJson.Write),
        new ResultExporter<LatencyResult>(".csv", LatencyResultCsv.Write),
        new ResultExporter<LatencyResult>(".md", LatencyResultMarkdown.Write),
    ];

    /// <summary>sweep.json, sweep.csv (one row per point), sweep.md.</summary>
    public static readonly IReadOnlyList<IResultExporter<SweepResult>> Sweep =
    [
        new ResultExporter<SweepResult>(".json", SweepResultJson.Write),
        new ResultExporter<SweepResult>(".csv", SweepResultCsv.Write),
        new ResultExporter<SweepResult>(".md", SweepResultMarkdown.Write),
    ];
}
