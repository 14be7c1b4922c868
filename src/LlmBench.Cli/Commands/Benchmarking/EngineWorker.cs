namespace LlmBench.Cli;

/// <summary>
/// One engine on its own thread, from opening to disposal: a GPU engine stays on the thread that created it, and
/// several engines (one per GPU) run at once. The body starts only when <see cref="DedicatedWorker{TOpened,T}.Go"/> is
/// called, so every engine is loaded before any is timed.
/// </summary>
internal sealed class EngineWorker<T>(string name, EngineSpec spec, Func<OpenedEngine, T> body)
    : DedicatedWorker<OpenedEngine, T>(name, () => EngineHost.Open(spec), body);

/// <summary>
/// Something opened on a thread of its own and used there until it is disposed (an engine, a lockstep backend): the
/// body runs after <see cref="Go"/>, so the caller can look at what opened (announce it, start telemetry) first.
/// </summary>
internal class DedicatedWorker<TOpened, T>
    where TOpened : IDisposable
{
    private readonly TaskCompletionSource<TOpened> _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _go = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DedicatedWorker(string name, Func<TOpened> open, Func<TOpened, T> body)
    {
        var thread = new Thread(() => Work(open, body)) { IsBackground = true, Name = name };
        thread.Start();
    }

    public Task<TOpened> Opened => _opened.Task;

    public Task<T> Completion => _done.Task;

    public void Go() => _go.TrySetResult(true);

    /// <summary>Releases the thread without running the body (another engine failed to open).</summary>
    public void Abandon()
    {
        _go.TrySetResult(false);
    }

    private void Work(Func<TOpened> open, Func<TOpened, T> body)
    {
        TOpened opened;
        try
        {
            opened = open();
        }
        catch (Exception ex)
        {
            _opened.SetException(ex);
            _done.SetException(ex);
            return;
        }

        // The result is handed over only once what was opened is disposed: the next backend of a sweep may need the GPU memory it held.
        T result = default!;
        Exception? error = null;
        try
        {
            using (opened)
            {
                _opened.SetResult(opened);
                if (!_go.Task.GetAwaiter().GetResult())
                {
                    _done.SetCanceled();
                    return;
                }

                result = body(opened);
            }
        }
        catch (Exception ex)
        {
            error = ex; // from the body, or from disposing
        }

        if (error is null)
            _done.SetResult(result);
        else
            _done.SetException(error);
    }
}
