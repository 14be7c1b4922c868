namespace LlmBench.Benchmarks.Lockstep;

/// <summary>
/// `sweep --gpus`: makes the runners of one backend (one per GPU, each on its own thread) start every point together,
/// so each point is measured on every GPU at once. Before each point a runner waits here until all the others have
/// finished the point before; a runner that stops (Ctrl-C, or the end of the grid) leaves, and no one waits for it.
/// </summary>
public sealed class SweepPointGate(int runners) : IDisposable
{
    private readonly Barrier _barrier = new(runners);

    /// <summary>Waits for the other runners; false when <paramref name="cancellationToken"/> ended the wait.</summary>
    public bool Wait(CancellationToken cancellationToken)
    {
        try
        {
            _barrier.SignalAndWait(cancellationToken);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>This runner is done: the others no longer wait for it.</summary>
    public void Leave() => _barrier.RemoveParticipant();

    public void Dispose() => _barrier.Dispose();
}
