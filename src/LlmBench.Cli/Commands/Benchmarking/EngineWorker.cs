namespace LlmBench.Cli;

/// <summary>
/// One engine on its own thread, from opening to disposal: a GPU engine stays on the thread that created it, and
/// several engines (one per GPU) run at once. The body starts only when <see cref="Go"/> is called, so every
/// engine is loaded before any is timed.
/// </summary>
internal sealed class EngineWorker<T>
{
    private readonly TaskCompletionSource<OpenedEngine> _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _go = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public EngineWorker(string name, EngineSpec spec, Func<OpenedEngine, T> body)
    {
        var thread = new Thread(() => Work(spec, body)) { IsBackground = true, Name = name };
        thread.Start();
    }

    public Task<OpenedEngine> Opened => _opened.Task;

    public Task<T> Completion => _done.Task;

    public void Go() => _go.TrySetResult(true);

    /// <summary>Releases the thread without running the body (another engine failed to open).</summary>
    public void Abandon()
    {
        _go.TrySetResult(false);
    }

    private void Work(EngineSpec spec, Func<OpenedEngine, T> body)
    {
        OpenedEngine engine;
        try
        {
#pragma warning disable CA2000 // disposed by the using block below
            engine = EngineHost.Open(spec);
#pragma warning restore CA2000
        }
        catch (Exception ex)
        {
            _opened.SetException(ex);
            _done.SetException(ex);
            return;
        }

        using (engine)
        {
            _opened.SetResult(engine);
            if (!_go.Task.GetAwaiter().GetResult())
            {
                _done.SetCanceled();
                return;
            }

            try
            {
                _done.SetResult(body(engine));
            }
            catch (Exception ex)
            {
                _done.SetException(ex);
            }
        }
    }
}
