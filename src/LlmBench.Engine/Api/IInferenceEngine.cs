namespace LlmBench.Engine.Api;

/// <summary>
/// The shape every backend (CPU, CUDA) offers: requests in, token events out, one step at a time.
/// Not thread-safe: one thread owns the engine and calls <see cref="Step"/> in a loop; other threads
/// hand requests to that thread (see the server's engine loop).
/// </summary>
public interface IInferenceEngine : IDisposable
{
    /// <summary>The model's context length as this engine runs it (max prompt + output tokens).</summary>
    int MaxModelLength { get; }

    /// <summary>Queues a request. Throws <see cref="ArgumentException"/> for a prompt it can never run.</summary>
    void AddRequest(GenerationRequest request);

    /// <summary>Cancels a request, frees its KV blocks, and emits its final Aborted event at the next step.</summary>
    void Abort(string requestId);

    /// <summary>True while any request is waiting or running.</summary>
    bool HasUnfinishedRequests { get; }

    /// <summary>Runs one scheduling step (prefill chunks and/or decodes) and returns the tokens it produced.</summary>
    IReadOnlyList<TokenEvent> Step();

    EngineStats Stats { get; }

    /// <summary>
    /// True when the engine can return log probabilities (<see cref="SamplingParams.Logprobs"/>); an engine that cannot
    /// refuses such requests in <see cref="AddRequest"/>.
    /// </summary>
    bool ComputesLogprobs { get; }
}
