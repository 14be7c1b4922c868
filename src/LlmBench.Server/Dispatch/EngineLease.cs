using LlmBench.Server.Loop;

namespace LlmBench.Server.Dispatch;

/// <summary>One request's place on one engine of the <see cref="EnginePool"/>: taken at dispatch, given back once when the request ends.</summary>
public sealed class EngineLease : IDisposable
{
    private readonly EnginePool _pool;
    private int _released;

    internal EngineLease(EnginePool pool, int index)
    {
        _pool = pool;
        Index = index;
    }

    /// <summary>The engine's index, as /metrics labels it (engine="i").</summary>
    public int Index { get; }

    public EngineLoop Loop => _pool[Index];

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
            _pool.Release(Index);
    }
}
