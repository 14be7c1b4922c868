using System.Diagnostics;
using LlmBench.Reports.Serving;

namespace LlmBench.LoadGen.Client;

/// <summary>
/// The raw outcome of one streamed request on the Stopwatch clock: when it was sent, when each chunk
/// carrying choices arrived (the time the read that brought its bytes returned), the usage count and
/// any error. <see cref="ToRecord"/> turns it into the metric record.
/// </summary>
public sealed record RequestTiming
{
    public required int Index { get; init; }
    public required long SendTicks { get; init; }
    public required long[] ChunkTicks { get; init; }

    /// <summary>When the exchange ended (stream closed or failed): the run's duration ends at the last of these.</summary>
    public long EndTicks { get; init; }
    public int? CompletionTokens { get; init; }
    public string? GeneratedText { get; init; }
    public string? Error { get; init; }

    /// <summary>The prompt's length when the run's request list does not give it (a conversation's later turn); else null.</summary>
    public int? PromptTokens { get; init; }

    /// <summary>When the request became due and had a concurrency slot: the send lag is measured from here.</summary>
    public long ReadyTicks { get; init; }

    /// <summary>When the request was due by the arrival schedule.</summary>
    public long DueTicks { get; init; }

    public bool Success => Error is null;

    public double SendLagMs => ReadyTicks == 0 ? 0 : TicksToMs(SendTicks - ReadyTicks);

    public static double TicksToMs(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    /// <param name="firstSendTicks">The run's first send: record start times are relative to it.</param>
    /// <param name="countTokens">Re-tokenizes the generated text when the server sent no usage.</param>
    public RequestRecord ToRecord(long firstSendTicks, int promptTokens, Func<string, int>? countTokens)
    {
        var start = TicksToMs(SendTicks - firstSendTicks) / 1000.0;
        var queueMs = DueTicks == 0 || ReadyTicks == 0 ? 0 : Math.Max(0, TicksToMs(ReadyTicks - DueTicks));
        var waitMs = DueTicks == 0 ? 0 : Math.Max(0, TicksToMs(SendTicks - DueTicks));
        if (!Success)
            return new RequestRecord { Index = Index, Success = false, PromptTokens = promptTokens, StartSeconds = start, Error = Error, ClientQueueMs = queueMs, SendWaitMs = waitMs };

        var itl = new double[ChunkTicks.Length - 1];
        for (int i = 1; i < ChunkTicks.Length; i++)
            itl[i - 1] = TicksToMs(ChunkTicks[i] - ChunkTicks[i - 1]);
        var fromUsage = CompletionTokens is not null;
        var tokens = CompletionTokens ?? (countTokens is null ? ChunkTicks.Length : countTokens(GeneratedText ?? ""));
        return new RequestRecord
        {
            Index = Index,
            Success = true,
            PromptTokens = promptTokens,
            OutputTokens = tokens,
            OutputTokensFromUsage = fromUsage,
            StartSeconds = start,
            TtftMs = TicksToMs(ChunkTicks[0] - SendTicks),
            E2elMs = TicksToMs(ChunkTicks[^1] - SendTicks),
            ItlMs = itl,
            ClientQueueMs = queueMs,
            SendWaitMs = waitMs,
            GeneratedText = GeneratedText,
        };
    }
}
