using LlmBench.Reports.Results;

namespace LlmBench.Reports.Serving.Export;

/// <summary>`bench serve` as CSV: one row per request (what the JSONL holds, less the inter-token gaps and text), ready for a spreadsheet.</summary>
public static class ServingResultCsv
{
    public static readonly IReadOnlyList<CsvColumn<RequestRecord>> Columns =
    [
        new("index", r => r.Index),
        new("success", r => r.Success),
        new("prompt_tokens", r => r.PromptTokens),
        new("output_tokens", r => r.OutputTokens),
        new("start_s", r => r.StartSeconds),
        new("ttft_ms", r => r.Success ? r.TtftMs : null),
        new("tpot_ms", r => r.TpotMs),
        new("e2el_ms", r => r.Success ? r.E2elMs : null),
        new("client_queue_ms", r => r.ClientQueueMs),
        new("error", r => r.Error),
        new("send_wait_ms", r => r.SendWaitMs),
    ];

    public static void Write(ServingResult result, Stream destination) => CsvTable.Write(destination, Columns, result.Records);
}
