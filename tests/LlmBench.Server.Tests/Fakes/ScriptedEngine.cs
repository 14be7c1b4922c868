using System.Collections.Concurrent;
using LlmBench.Engine.Api;

namespace LlmBench.Server.Tests.Fakes;

/// <summary>
/// A deterministic engine for server tests: each step gives every running request one token,
/// token i of a request = 1 + (Σ prompt ids + i) mod 50 (<see cref="ExpectedToken"/>), EOS (id 0) at
/// index <see cref="EosIndex"/> unless ignore_eos, length at max_tokens. It records the requests it was given and
/// aborts; a prompt starting with id 99 makes the step throw, to test the loop's fault barrier, and one starting with
/// id 98 makes AddRequest throw an error that is not the caller's (the engine is dead then).
/// </summary>
internal sealed class ScriptedEngine(int maxModelLength = 64, int stepDelayMs = 0) : IInferenceEngine
{
    public const int EosIndex = 5;
    public const int PoisonId = 99;
    public const int FatalId = 98;

    private sealed class Sequence(GenerationRequest request)
    {
        public GenerationRequest Request { get; } = request;
        public int Generated { get; set; }
        public bool AbortPending { get; set; }
    }

    private readonly List<Sequence> _running = [];
    private long _promptTokens;
    private long _generationTokens;

    public ConcurrentQueue<string> Aborted { get; } = new();

    /// <summary>Ids of the requests this engine accepted, in order.</summary>
    public ConcurrentQueue<string> Added { get; } = new();
    public int MaxModelLength => maxModelLength;
    public bool HasUnfinishedRequests => _running.Count > 0;
    public int ActiveCount => Volatile.Read(ref _activeCount);
    private int _activeCount;

    public EngineStats Stats => new(_running.Count, 0, _running.Count / 16.0, 0, _promptTokens, _generationTokens);

    public static int ExpectedToken(int[] promptIds, int index) => 1 + (promptIds.Sum() + index) % 50;

    public bool ComputesLogprobs { get; init; } = true;

    /// <summary>
    /// The scripted log probabilities of <paramref name="token"/> with <paramref name="count"/> alternatives: the token
    /// itself at −0.25, then the ids after it (wrapping within 1–50) at −0.5, −0.75, …
    /// </summary>
    public static TokenLogprobs ScriptedLogprobs(int token, int count) => new(-0.25f,
        Enumerable.Range(0, count).Select(j => new TopLogprob(j == 0 ? token : 1 + (token - 1 + j) % 50, -0.25f * (j + 1))).ToArray());

    public void AddRequest(GenerationRequest request)
    {
        if (request.Sampling.Logprobs is not null && !ComputesLogprobs)
            throw new ArgumentException("this scripted engine computes no log probabilities.");
        if (request.PromptIds.Length > 0 && request.PromptIds[0] == FatalId)
            throw new InvalidOperationException("scripted engine death");
        if (request.PromptIds.Length + request.Sampling.MaxTokens > maxModelLength)
            throw new ArgumentException($"prompt of {request.PromptIds.Length} tokens plus {request.Sampling.MaxTokens} exceeds {maxModelLength}.");
        _running.Add(new Sequence(request));
        Added.Enqueue(request.Id);
        _promptTokens += request.PromptIds.Length;
        Interlocked.Increment(ref _activeCount);
    }

    public void Abort(string requestId)
    {
        var sequence = _running.FirstOrDefault(s => s.Request.Id == requestId);
        if (sequence is not null)
            sequence.AbortPending = true;
    }

    public IReadOnlyList<TokenEvent> Step()
    {
        if (stepDelayMs > 0)
            Thread.Sleep(stepDelayMs);
        if (_running.Any(s => s.Request.PromptIds[0] == PoisonId))
        {
            _running.RemoveAll(s => s.Request.PromptIds[0] == PoisonId);
            throw new InvalidOperationException("scripted step failure");
        }

        var events = new List<TokenEvent>();
        foreach (var s in _running.ToArray())
        {
            if (s.AbortPending)
            {
                events.Add(new TokenEvent(s.Request.Id, -1, s.Generated, FinishReason.Aborted));
                Aborted.Enqueue(s.Request.Id);
                Remove(s);
                continue;
            }

            var index = s.Generated++;
            _generationTokens++;
            var eos = !s.Request.Sampling.IgnoreEos && index == EosIndex && index >= s.Request.Sampling.MinTokens;
            var token = eos ? WordTokenizer.EosId : ExpectedToken(s.Request.PromptIds, index);
            FinishReason? finish = eos ? FinishReason.Stop : s.Generated == s.Request.Sampling.MaxTokens ? FinishReason.Length : null;
            var logprobs = s.Request.Sampling.Logprobs is { } count ? ScriptedLogprobs(token, count) : null;
            events.Add(new TokenEvent(s.Request.Id, token, index, finish) { Logprobs = logprobs });
            if (finish is not null)
                Remove(s);
        }

        return events;
    }

    private void Remove(Sequence s)
    {
        _running.Remove(s);
        Interlocked.Decrement(ref _activeCount);
    }

    public void Dispose()
    {
    }
}
