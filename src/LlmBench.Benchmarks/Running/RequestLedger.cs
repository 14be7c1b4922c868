using LlmBench.Benchmarks.Workloads;
using LlmBench.Engine.Api;

namespace LlmBench.Benchmarks.Running;

/// <summary>
/// Sends workload requests to an engine and turns its token events into <see cref="RequestOutcome"/>s. Request
/// ids are "req-N" and seeds are base + N, so a run is reproducible request for request.
/// </summary>
internal sealed class RequestLedger(IInferenceEngine engine, float temperature, ulong seed)
{
    private readonly Dictionary<string, Open> _open = [];
    private long _sent;

    public int InFlight => _open.Count;

    public long Sent => _sent;

    public IEnumerable<string> OpenIds => _open.Keys;

    public void Send(WorkloadRequest request, double nowSeconds)
    {
        var id = $"req-{_sent}";
        var sampling = new SamplingParams
        {
            Temperature = temperature,
            MaxTokens = request.OutputTokens,
            IgnoreEos = true,
            Seed = seed + (ulong)_sent,
        };
        engine.AddRequest(new GenerationRequest(id, request.PromptIds, sampling));
        _open.Add(id, new Open(request.PromptIds.Length, nowSeconds));
        _sent++;
    }

    /// <summary>Notes one event at <paramref name="nowSeconds"/>; returns the outcome when the request is done.</summary>
    public RequestOutcome? Record(TokenEvent tokenEvent, double nowSeconds)
    {
        if (!_open.TryGetValue(tokenEvent.RequestId, out var open))
            return null;
        if (tokenEvent.TokenId >= 0)
        {
            open.FirstTokenSeconds ??= nowSeconds;
            open.LastTokenSeconds = nowSeconds;
            open.OutputTokens++;
        }

        if (!tokenEvent.IsFinal)
            return null;
        _open.Remove(tokenEvent.RequestId);
        return new RequestOutcome(tokenEvent.RequestId, open.PromptTokens, open.OutputTokens, open.SendSeconds,
            open.FirstTokenSeconds, open.LastTokenSeconds, tokenEvent.Finish == FinishReason.Aborted);
    }

    private sealed class Open(int promptTokens, double sendSeconds)
    {
        public int PromptTokens { get; } = promptTokens;
        public double SendSeconds { get; } = sendSeconds;
        public double? FirstTokenSeconds { get; set; }
        public double? LastTokenSeconds { get; set; }
        public int OutputTokens { get; set; }
    }
}
