using System.Diagnostics;
using LlmBench.Engine.Api;
using LlmBench.Engine.Sampling;
using LlmBench.Text;
using LlmBench.Text.Tokenization;

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
internal sealed class SingleGeneration
{
    private const string RequestId = "generate";

    private readonly IInferenceEngine _engine;
    private readonly IncrementalDetokenizer? _detokenizer;
    private readonly StopStringMatcher _stops;
    private readonly List<int> _output;
    private readonly long _queuedTicks;

    /// <summary>
    /// Queues the request at once, so that a prompt the engine cannot run (an id outside the vocabulary) fails here,
    /// before anything is printed. The clocks start here too.
    /// </summary>
    /// <param name="tokenizer">Null for a model without one: then there are no text and no stop strings.</param>
    public SingleGeneration(IInferenceEngine engine, ByteLevelBpeTokenizer? tokenizer, int[] promptIds, SamplingParams sampling)
    {
        _engine = engine;
        _detokenizer = tokenizer?.CreateStreamingDecoder();
        _stops = new StopStringMatcher(sampling.StopStrings, sampling.MinTokens);
        _output = new List<int>(sampling.MaxTokens);
        _queuedTicks = Stopwatch.GetTimestamp();
        engine.AddRequest(new GenerationRequest(RequestId, promptIds, sampling) { ArrivalTicks = _queuedTicks });
    }

    /// <summary>Steps the engine until the request ends. On cancellation the request is aborted and drained first.</summary>
    /// <param name="onText">Receives each piece of text as soon as it is safe to show (never with a model without a tokenizer).</param>
    public GenerationOutcome Run(Action<string>? onText, CancellationToken cancellationToken)
    {
        FinishReason? finish = null;
        long firstTicks = 0, lastTicks = 0;

        void Show(string piece)
        {
            if (piece.Length > 0)
                onText?.Invoke(piece);
        }

        while (_engine.HasUnfinishedRequests)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                AbortAndDrain();
                cancellationToken.ThrowIfCancellationRequested();
            }
            foreach (var e in _engine.Step())
            {
                // After a stop string the request is aborted; its last event (id -1) carries nothing for us.
                if (finish is not null || e.RequestId != RequestId)
                    continue;
                if (e.TokenId >= 0)
                {
                    lastTicks = Stopwatch.GetTimestamp();
                    if (_output.Count == 0)
                        firstTicks = lastTicks;
                    _output.Add(e.TokenId);
                    if (_detokenizer is not null)
                        Show(_stops.Append(_detokenizer.Push(e.TokenId), _output.Count));
                    if (_stops.Stopped)
                    {
                        finish = FinishReason.Stop;
                        _engine.Abort(RequestId);
                        continue;
                    }
                }
                finish = e.Finish;
            }
        }

        if (_detokenizer is not null && !_stops.Stopped)
        {
            // Bytes of a character the output never finished come out as U+FFFD, as a full decode shows them.
            Show(_stops.Append(_detokenizer.Flush(), _output.Count));
            if (_stops.Stopped)
                finish = FinishReason.Stop;
            else
                Show(_stops.Flush());
        }

        int count = _output.Count;
        return new GenerationOutcome(
            [.. _output],
            _detokenizer is null ? null : _stops.Text,
            finish ?? FinishReason.Aborted,
            TtftMs: count == 0 ? 0 : Stopwatch.GetElapsedTime(_queuedTicks, firstTicks).TotalMilliseconds,
            DecodeTokensPerSecond: count < 2 ? null : (count - 1) / Stopwatch.GetElapsedTime(firstTicks, lastTicks).TotalSeconds,
            TotalMs: count == 0 ? 0 : Stopwatch.GetElapsedTime(_queuedTicks, lastTicks).TotalMilliseconds);
    }

    /// <summary>Ctrl-C: cancel the request and let the engine hand back its blocks before the command ends.</summary>
    private void AbortAndDrain()
    {
        _engine.Abort(RequestId);
        while (_engine.HasUnfinishedRequests)
            _engine.Step();
    }
}
