using LlmBench.Engine.Api;
using LlmBench.Server.Loop;

namespace LlmBench.Server.Dispatch;

/// <summary>
/// The engines behind one endpoint (`serve --data-parallel-size N`), each on its own <see cref="EngineLoop"/>. A request
/// goes to the least-loaded running engine, ties to the lowest index, and stays there until it ends. An engine's load is
/// the server's own count of the requests it handed that engine and that have not ended (its running and waiting
/// sequences, plus any still in its command channel): the engine's counters lag by a step, so a burst that arrives
/// between two steps would otherwise all land on one engine. Picking and counting happen under one lock, so two
/// requests cannot both take an engine's last place.
/// </summary>
public sealed class EnginePool : IDisposable
{
    private readonly EngineLoop[] _loops;
    private readonly int[] _loads;
    private readonly Lock _gate = new();

    public EnginePool(IReadOnlyList<IInferenceEngine> engines)
    {
        if (engines.Count == 0)
            throw new ArgumentException("The server needs at least one engine.", nameof(engines));
        _loops = engines.Select(e => new EngineLoop(e)).ToArray();
        _loads = new int[_loops.Length];
    }

    public int Count => _loops.Length;

    public EngineLoop this[int index] => _loops[index];

    /// <summary>True while at least one engine runs (/health).</summary>
    public bool AnyRunning => _loops.Any(l => l.IsRunning);

    /// <summary>Each engine's load: requests handed to it that have not ended.</summary>
    public int[] Loads()
    {
        lock (_gate)
            return (int[])_loads.Clone();
    }

    /// <summary>Each engine's counters as of its last step.</summary>
    public EngineStats[] Stats() => _loops.Select(l => l.Stats).ToArray();

    /// <summary>
    /// Takes a place on the least-loaded running engine whose load is under <paramref name="capacity"/>; false when every
    /// running engine is full (or none runs), with the requests in flight on all of them in <paramref name="inFlight"/>.
    /// </summary>
    public bool TryAcquire(int capacity, out EngineLease? lease, out int inFlight)
    {
        lock (_gate)
        {
            int best = -1;
            for (int i = 0; i < _loops.Length; i++)
            {
                if (_loops[i].IsRunning && (best < 0 || _loads[i] < _loads[best]))
                    best = i;
            }

            inFlight = _loads.Sum();
            if (best < 0 || _loads[best] >= capacity)
            {
                lease = null;
                return false;
            }

            _loads[best]++;
            lease = new EngineLease(this, best);
            return true;
        }
    }

    internal void Release(int index)
    {
        lock (_gate)
            _loads[index]--;
    }

    public void Dispose()
    {
        foreach (var loop in _loops)
            loop.Dispose();
    }
}
