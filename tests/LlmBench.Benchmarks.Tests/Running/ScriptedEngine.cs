using LlmBench.Benchmarks.Running;
using LlmBench.Engine.Api;

namespace LlmBench.Benchmarks.Tests.Running;

/// <summary>A clock only the scripted engine moves.</summary>
internal sealed class ManualClock : IBenchmarkClock
{
    public double NowSeconds { get; set; }
}

/// <summary>
/// An engine with known timings: each step advances the clock by <c>stepSeconds(now)</c>; at most
/// <paramref name="maxRunning"/> requests run (first come, first served); a request admitted in a step emits its
/// first token in that step and one more per step until max_tokens. Optional hooks fail or watch steps.
/// </summary>
internal sealed class ScriptedEngine(ManualClock clock, Func<double, double> stepSeconds, int maxRunning, int maxModelLength = 4096) : IInferenceEngine
{
    private readonly List<(GenerationRequest Request, int Emitted)> _running = [];
    private readonly Queue<GenerationRequest> _waiting = new();
    private readonly List<TokenEvent> _aborted = [];

    public Action<int>? OnStep { get; init; }

    public long Preemptions { get; set; }

    public int Steps { get; private set; }

    public int MaxModelLength => maxModelLength;

    public bool ComputesLogprobs => false;

    public bool HasUnfinishedRequests => _running.Count > 0 || _waiting.Count > 0 || _aborted.Count > 0;

    public EngineStats Stats => new(_running.Count, _waiting.Count, _running.Count / (double)maxRunning, Preemptions, 0, 0);

    public void AddRequest(GenerationRequest request) => _waiting.Enqueue(request);

    public void Abort(string requestId)
    {
        int index = _running.FindIndex(r => r.Request.Id == requestId);
        if (index >= 0)
        {
            _aborted.Add(new TokenEvent(requestId, -1, _running[index].Emitted, FinishReason.Aborted));
            _running.RemoveAt(index);
            return;
        }

        if (_waiting.Any(r => r.Id == requestId))
        {
            var kept = _waiting.Where(r => r.Id != requestId).ToArray();
            _waiting.Clear();
            foreach (var request in kept)
                _waiting.Enqueue(request);
            _aborted.Add(new TokenEvent(requestId, -1, 0, FinishReason.Aborted));
        }
    }

    public IReadOnlyList<TokenEvent> Step()
    {
        Steps++;
        OnStep?.Invoke(Steps);
        var events = new List<TokenEvent>(_aborted);
        _aborted.Clear();
        while (_running.Count < maxRunning && _waiting.Count > 0)
            _running.Add((_waiting.Dequeue(), 0));
        for (int i = 0; i < _running.Count; i++)
        {
            var (request, emitted) = _running[i];
            emitted++;
            bool last = emitted == request.Sampling.MaxTokens;
            events.Add(new TokenEvent(request.Id, 7, emitted - 1, last ? FinishReason.Length : null));
            _running[i] = (request, emitted);
        }

        _running.RemoveAll(r => r.Emitted == r.Request.Sampling.MaxTokens);
        clock.NowSeconds += stepSeconds(clock.NowSeconds);
        return events;
    }

    public void Dispose()
    {
    }
}
