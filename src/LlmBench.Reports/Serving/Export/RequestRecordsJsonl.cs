using System.Text.Encodings.Web;
using System.Text.Json;

namespace LlmBench.Reports.Serving.Export;

/// <summary>
/// One JSON object per request and line: when it was sent, its TTFT, every ITL gap, E2EL, TPOT,
/// token counts and error, so any statistic can be recomputed from the raw timings.
/// </summary>
public static class RequestRecordsJsonl
{
    public static void Write(IEnumerable<RequestRecord> records, Stream destination)
    {
        var newline = "\n"u8.ToArray();
        foreach (var r in records)
        {
            using (var w = new Utf8JsonWriter(destination, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                w.WriteStartObject();
                w.WriteNumber("index", r.Index);
                w.WriteBoolean("success", r.Success);
                w.WriteNumber("start_time_s", r.StartSeconds);
                w.WriteNumber("prompt_len", r.PromptTokens);
                w.WriteNumber("output_tokens", r.OutputTokens);
                w.WriteBoolean("output_tokens_from_usage", r.OutputTokensFromUsage);
                w.WriteNumber("ttft_ms", r.TtftMs);
                w.WriteNumber("e2el_ms", r.E2elMs);
                if (r.TpotMs is { } tpot)
                    w.WriteNumber("tpot_ms", tpot);
                else
                    w.WriteNull("tpot_ms");
                w.WriteNumber("client_queue_ms", r.ClientQueueMs);
                w.WriteNumber("send_wait_ms", r.SendWaitMs);
                w.WriteStartArray("itl_ms");
                foreach (var gap in r.ItlMs)
                    w.WriteNumberValue(gap);
                w.WriteEndArray();
                if (r.Error is not null)
                    w.WriteString("error", r.Error);
                if (r.GeneratedText is not null)
                    w.WriteString("generated_text", r.GeneratedText);
                w.WriteEndObject();
            }

            destination.Write(newline);
        }
    }
}
