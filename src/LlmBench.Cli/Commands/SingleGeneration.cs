using System.Diagnostics;
using LlmBench.Engine.Api;
using LlmBench.Engine.Sampling;
using LlmBench.Engine.Tokenization;

namespace LlmBench.Cli;

/// <summary>What one generation produced, with its clocks (host monotonic clock, from the moment the request was queued).</summary>
internal sealed record GenerationOutcome(
    int[] OutputIds,
    string? Text,
    FinishReason Finish,
    double TtftMs,
    double? DecodeTokensPerSecond,
    double TotalMs);

/// <summary>
/// Runs one request to the end on an engine that serves nothing else. The engine sees token ids only, so the text
/// side lives here: ids go through the incremental detokenizer (never half a UTF-8 character) and then the
/// <see cref="StopStringMatcher"/>, which holds back a tail that may still grow into a stop string; when one
/// completes, the request is aborted and finishes with "stop", its text ending right before the stop string.
/// </summary>
internal static class SingleGeneration
{
    private const string RequestId = "generate";

    /// <param name="tokenizer">Null for a model without one: then there are no text, no stop strings, and <paramref name="onText"/> is never called.</param>
    /// <param name="onText">Receives each piece of text as soon as it is safe to show.</param>
    public static GenerationOutcome Run(IInferenceEngine engine, ByteLevelBpeTokenizer? tokenizer, int[] promptIds,
        SamplingParams sampling, Action<string>? onText, CancellationToken cancellationToken)
    {
        var detokenizer = tokenizer?.CreateStreamingDecoder();
        var stops = new StopStringMatcher(sampling.StopStrings, sampling.MinTokens);
        var output = new List<int>(sampling.MaxTokens);
        FinishReason? finish = null;
        long queuedTicks = Stopwatch.GetTimestamp();
        long firstTicks = 0, lastTicks = 0;

        void Show(string piece)
        {
            if (piece.Length > 0)
                onText?.Invoke(piece);
        }

        engine.AddRequest(new GenerationRequest(RequestId, promptIds, sampling) { ArrivalTicks = queuedTicks });
        while (engine.HasUnfinishedRequests)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                AbortAndDrain(engine);
                cancellationToken.ThrowIfCancellationRequested();
            }
            foreach (var e in engine.Step())
            {
                // After a stop string the request is aborted; its last event (id -1) carries nothing for us.
                if (finish is not null || e.RequestId != RequestId)
                    continue;
                if (e.TokenId >= 0)
                {
                    lastTicks = Stopwatch.GetTimestamp();
                    if (output.Count == 0)
                        firstTicks = lastTicks;
                    output.Add(e.TokenId);
                    if (detokenizer is not null)
                        Show(stops.Append(detokenizer.Push(e.TokenId), output.Count));
                    if (stops.Stopped)
                    {
                        finish = FinishReason.Stop;
                        engine.Abort(RequestId);
                        continue;
                    }
                }
                finish = e.Finish;
            }
        }

        if (detokenizer is not null && !stops.Stopped)
        {
            // Bytes of a character the output never finished come out as U+FFFD, as a full decode shows them.
            Show(stops.Append(detokenizer.Flush(), output.Count));
            if (stops.Stopped)
                finish = FinishReason.Stop;
            else
                Show(stops.Flush());
        }

        return new GenerationOutcome(
            [.. output],
            detokenizer is null ? null : stops.Text,
            finish ?? FinishReason.Aborted,
            TtftMs: output.Count == 0 ? 0 : Stopwatch.GetElapsedTime(queuedTicks, firstTicks).TotalMilliseconds,
            DecodeTokensPerSecond: output.Count < 2 ? null : (output.Count - 1) / Stopwatch.GetElapsedTime(firstTicks, lastTicks).TotalSeconds,
            TotalMs: Stopwatch.GetElapsedTime(queuedTicks).TotalMilliseconds);
    }

    /// <summary>Ctrl-C: cancel the request and let the engine hand back its blocks before the command ends.</summary>
    private static void AbortAndDrain(IInferenceEngine engine)
    {
        engine.Abort(RequestId);
        while (engine.HasUnfinishedRequests)
            engine.Step();
    }
}
