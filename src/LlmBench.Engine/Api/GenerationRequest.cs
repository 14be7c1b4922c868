namespace LlmBench.Engine.Api;

/// <summary>One sequence to generate: prompt token ids in, token events out.</summary>
public sealed record GenerationRequest(string Id, int[] PromptIds, SamplingParams Sampling)
{
    /// <summary>Host clock (Stopwatch ticks) when the request arrived, for TTFT accounting.</summary>
    public long ArrivalTicks { get; init; } = System.Diagnostics.Stopwatch.GetTimestamp();
}
