using System.Runtime.CompilerServices;
using System.Threading.Channels;
using LlmBench.Engine.Api;

namespace LlmBench.Server.Loop;

/// <summary>
/// Owns the engine on one dedicated thread: the engine is not thread-safe, so adds and aborts reach it
/// through a channel and only this thread calls AddRequest, Abort and Step. Each step's events go to
/// their requests' channels; detokenization and HTTP happen on the request side, off this loop. An
/// engine that throws fails the requests in flight with the error and the loop keeps serving.
/// An idle loop sleeps on an event that the submitting thread sets itself: waking it never waits for a
/// thread-pool thread, which HTTP handlers may all be holding when a wave of requests arrives.
/// Anything else the engine throws (outside a step, or not an <see cref="ArgumentException"/> from AddRequest) leaves
/// its state unknown: the loop then fails every request it holds, refuses new ones and ends, and reports the error
/// in <see cref="FatalError"/> (a dead engine, which /health and dispatch skip).
/// </summary>
public sealed class EngineLoop : IDisposable
{
    private abstract record Command;

    private sealed record AddCommand(RequestHandle Handle) : Command;

    private sealed record AbortCommand(string RequestId) : Command;

    private readonly IInferenceEngine _engine;
    private readonly Channel<Command> _commands = Channel.CreateUnbounded<Command>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, RequestHandle> _active = new(StringComparer.Ordinal);
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stop = new();
    private readonly ManualResetEventSlim _wake = new(false);
    private StrongBox<EngineStats> _stats;
    private long _stepFailures;
    private Exception? _fatalError;

    public EngineLoop(IInferenceEngine engine)
    {
        _engine = engine;
        MaxModelLength = engine.MaxModelLength;
        _stats = new StrongBox<EngineStats>(engine.Stats);
        _thread = new Thread(Run) { IsBackground = true, Name = "engine-loop" };
        _thread.Start();
    }

    public int MaxModelLength { get; }

    /// <summary>The engine's counters as of its last step.</summary>
    public EngineStats Stats => Volatile.Read(ref _stats).Value;

    public long StepFailures => Interlocked.Read(ref _stepFailures);

    public bool IsRunning => _thread.IsAlive && Volatile.Read(ref _fatalError) is null;

    /// <summary>What ended the loop when the engine failed outside a step; null while it runs (and after a normal shutdown).</summary>
    public Exception? FatalError => Volatile.Read(ref _fatalError);

    public RequestHandle Submit(GenerationRequest request)
    {
        var handle = new RequestHandle(request);
        if (!_commands.Writer.TryWrite(new AddCommand(handle)))
            handle.Fail(new InvalidOperationException("The engine loop has stopped."));
        _wake.Set();
        return handle;
    }

    /// <summary>Cancels a request (client gone, stop string matched); its KV blocks are freed by the engine.</summary>
    public void Abort(string requestId)
    {
        _commands.Writer.TryWrite(new AbortCommand(requestId));
        _wake.Set();
    }

    private void Run()
    {
        try
        {
            Serve();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Volatile.Write(ref _fatalError, ex);
            _commands.Writer.TryComplete();
            var error = Dead(ex);
            foreach (var handle in _active.Values)
                handle.Fail(error);
            _active.Clear();
            while (_commands.Reader.TryRead(out var command))
            {
                if (command is AddCommand add)
                    add.Handle.Fail(error);
            }
        }
    }

    private static InvalidOperationException Dead(Exception ex) => new($"The engine failed and was stopped: {ex.Message}", ex);

    private void Serve()
    {
        var reader = _commands.Reader;
        while (!_stop.IsCancellationRequested)
        {
            if (!_engine.HasUnfinishedRequests && !reader.TryPeek(out _))
            {
                // Reset, then look again: a command written before the reset is seen here, one written after it sets the event.
                _wake.Reset();
                if (!reader.TryPeek(out _))
                {
                    try
                    {
                        _wake.Wait(_stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }

                continue;
            }

            while (reader.TryRead(out var command))
                Apply(command);
            if (_engine.HasUnfinishedRequests)
                Step();
        }

        foreach (var handle in _active.Values)
            handle.Fail(new OperationCanceledException("The server is shutting down."));
        _active.Clear();
    }

    private void Apply(Command command)
    {
        switch (command)
        {
            case AddCommand add:
                try
                {
                    _engine.AddRequest(add.Handle.Request);
                    _active[add.Handle.Id] = add.Handle;
                }
                catch (ArgumentException ex)
                {
                    add.Handle.Fail(OpenAiException.BadRequest(ex.Message));
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    add.Handle.Fail(Dead(ex));
                    throw;
                }

                break;
            case AbortCommand abort when _active.ContainsKey(abort.RequestId):
                _engine.Abort(abort.RequestId);
                break;
        }
    }

    private void Step()
    {
        IReadOnlyList<TokenEvent> events;
        try
        {
            events = _engine.Step();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A bug in a step must not take the server down: fail what was in flight, drop it from the engine.
            Interlocked.Increment(ref _stepFailures);
            foreach (var handle in _active.Values)
            {
                handle.Fail(new InvalidOperationException($"The engine failed during a step: {ex.Message}", ex));
                TryAbort(handle.Id);
            }

            _active.Clear();
            Volatile.Write(ref _stats, new StrongBox<EngineStats>(_engine.Stats));
            return;
        }

        foreach (var tokenEvent in events)
        {
            if (!_active.TryGetValue(tokenEvent.RequestId, out var handle))
                continue;
            handle.TryDeliver(tokenEvent);
            if (tokenEvent.IsFinal)
                _active.Remove(tokenEvent.RequestId);
        }

        Volatile.Write(ref _stats, new StrongBox<EngineStats>(_engine.Stats));
    }

    private void TryAbort(string requestId)
    {
        try
        {
            _engine.Abort(requestId);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Best effort after a failed step; the request is already failed towards its client.
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _commands.Writer.TryComplete();
        var ended = _thread.Join(TimeSpan.FromSeconds(10));
        _stop.Dispose();
        // Set() on a disposed ManualResetEventSlim does nothing (a Submit racing with shutdown stays harmless); only
        // Wait() throws, so it is disposed only once the loop thread has ended.
        if (ended)
            _wake.Dispose();
    }
}
