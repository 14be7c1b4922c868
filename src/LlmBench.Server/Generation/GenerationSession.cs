using System.Diagnostics;
using LlmBench.Engine.Api;
using LlmBench.Server.Dispatch;
using LlmBench.Server.Loop;
using LlmBench.Server.Metrics;
using LlmBench.Server.Protocol;
using LlmBench.Text;
using LlmBench.Text.Tokenization;

namespace LlmBench.Server.Generation;

/// <summary>
/// One request in flight, read from the HTTP handler: submits to the engine loop, turns token events
/// into text deltas (detokenizing, and matching stop strings with <see cref="StopStringMatcher"/>, here,
/// never on the loop), aborts the engine request when a stop string matches or the client leaves, and
/// records its latencies. It owns its place on one engine (<see cref="EngineLease"/>) and gives it back when it ends.
/// </summary>
public sealed class GenerationSession : IDisposable
{
    private readonly EngineLease _engine;
    private readonly RequestHandle _handle;
    private readonly IIncrementalDetokenizer _detokenizer;
    private readonly StopStringMatcher _stops;
    private readonly ServerMetrics _metrics;
    private readonly List<int>? _tokenIds;
    private long _lastTokenTicks;
    private bool _finished;
    private bool _abortRequested;

    public GenerationSession(EngineLease engine, ITextTokenizer? tokenizer, ServerMetrics metrics, string requestId, PreparedGeneration prepared)
    {
        _engine = engine;
        _metrics = metrics;
        _detokenizer = tokenizer?.CreateDetokenizer(skipSpecialTokens: true) ?? NoTextDetokenizer.Instance;
        _stops = new StopStringMatcher(prepared.Sampling.StopStrings, prepared.Sampling.MinTokens);
        _tokenIds = prepared.ReturnTokenIds ? [] : null;
        PromptTokens = prepared.PromptIds.Length;
        _handle = engine.Loop.Submit(new GenerationRequest(requestId, prepared.PromptIds, prepared.Sampling));
        metrics.OnRequestStarted();
    }

    public string Id => _handle.Id;
    public int PromptTokens { get; }
    public int CompletionTokens { get; private set; }
    public string? FinishReason { get; private set; }

    /// <summary>The generated ids, when the request asked for them (return_token_ids); else null.</summary>
    public IReadOnlyList<int>? TokenIds => _tokenIds;

    /// <summary>Waits for the next token; false when generation is over. Throws the engine's refusal (an <see cref="OpenAiException"/>).</summary>
    public async ValueTask<bool> WaitAsync(CancellationToken cancellationToken) =>
        !_finished && await _handle.Events.WaitToReadAsync(cancellationToken);

    /// <summary>Takes the next token already delivered, without waiting.</summary>
    public bool TryRead(out TokenDelta delta)
    {
        delta = default;
        if (_finished || !_handle.Events.TryRead(out var tokenEvent))
            return false;

        var now = Stopwatch.GetTimestamp();
        var text = "";
        if (tokenEvent.TokenId >= 0)
        {
            CompletionTokens++;
            _tokenIds?.Add(tokenEvent.TokenId);
            _metrics.OnToken(_engine.Index, CompletionTokens == 1 ? now - _handle.Request.ArrivalTicks : 0, CompletionTokens == 1 ? 0 : now - _lastTokenTicks);
            _lastTokenTicks = now;
            text = _stops.Append(_detokenizer.Push(tokenEvent.TokenId), CompletionTokens);
        }

        if (_stops.Stopped)
            return Finish(out delta, text, "stop", abortEngine: !tokenEvent.IsFinal, tokenEvent);
        if (tokenEvent.Finish is { } finish)
        {
            if (finish == LlmBench.Engine.Api.FinishReason.Aborted)
                throw new OpenAiException(503, "The request was aborted by the server (it is shutting down or the engine failed).", "server_error");
            return Finish(out delta, text + _stops.Flush(), finish == LlmBench.Engine.Api.FinishReason.Length ? "length" : "stop", abortEngine: false, tokenEvent);
        }

        delta = new TokenDelta(text, null) { TokenId = tokenEvent.TokenId, Logprobs = tokenEvent.Logprobs };
        return true;
    }

    private bool Finish(out TokenDelta delta, string text, string reason, bool abortEngine, TokenEvent tokenEvent)
    {
        if (abortEngine)
            Abort();
        _finished = true;
        FinishReason = reason;
        _metrics.OnRequestFinished(_engine.Index, Stopwatch.GetTimestamp() - _handle.Request.ArrivalTicks, reason);
        _engine.Dispose();
        delta = new TokenDelta(text, reason) { TokenId = tokenEvent.TokenId, Logprobs = tokenEvent.Logprobs };
        return true;
    }

    /// <summary>Stops the engine's work on this request and frees its KV blocks (idempotent).</summary>
    public void Abort()
    {
        if (_abortRequested)
            return;
        _abortRequested = true;
        _engine.Loop.Abort(Id);
    }

    public void Dispose()
    {
        // A session left before its end (client gone, error) must not keep generating.
        if (!_finished)
        {
            Abort();
            _metrics.OnRequestAbandoned(_engine.Index);
        }

        _engine.Dispose();
    }
}
