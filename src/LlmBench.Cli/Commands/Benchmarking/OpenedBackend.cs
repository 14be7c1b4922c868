using LlmBench.Benchmarks.Lockstep;
using LlmBench.Benchmarks.Platform;

namespace LlmBench.Cli;

/// <summary>A lockstep backend opened on its own thread, with what result files say about it; disposing closes it (and its engine or server).</summary>
internal sealed class OpenedBackend : IDisposable
{
    public required string Name { get; init; }

    public required ILockstepBackend Backend { get; init; }

    /// <summary>The model, the device ("cuda:0 NVIDIA H200 (transformers …)"), the start-up time.</summary>
    public required EngineUnderTest Description { get; init; }

    /// <summary>llmbench's engine, for the engine options a result lists; null for the other frameworks.</summary>
    public OpenedEngine? Engine { get; init; }

    /// <summary>Closed last (a server that --launch started).</summary>
    public IDisposable? Owned { get; init; }

    public void Dispose()
    {
        Backend.Dispose();
        Engine?.Dispose();
        Owned?.Dispose();
    }
}
