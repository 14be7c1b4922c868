using LlmBench.Engine.Api;
using LlmBench.Engine.Sampling;
using LlmBench.Engine.Scheduling;

namespace LlmBench.Engine;

/// <summary>
/// The engine every backend shares: requests are validated into sequences, the <see cref="Scheduler"/> plans
/// each step, an <see cref="IModelExecutor"/> runs it and samples, and the id-level stop rules end sequences
/// (freeing their blocks at once). Single-threaded: one thread owns it and calls <see cref="Step"/>.
/// </summary>
public sealed partial class LlmEngine : IInferenceEngine
{
    private readonly IModelExecutor _executor;
    private readonly Scheduler _scheduler;
    private readonly StopChecker _stops;
    private readonly List<TokenEvent> _pendingAborts = [];
    private readonly int[] _sampled;
    private readonly TokenLogprobs?[] _logprobs;
    private ulong _requestsSeen;

    /// <param name="options">Options resolved for the executor's model and cache (<see cref="EngineOptions.ResolveFor"/>).</param>
    public LlmEngine(EngineOptions options, IModelExecutor executor)
    {
        if (!options.IsResolved)
            throw new ArgumentException("the engine needs options resolved for its model (NumKvBlocks and MaxModelLen).", nameof(options));
        if (options.NumKvBlocks != executor.NumKvBlocks)
            throw new ArgumentException($"options plan {options.NumKvBlocks} KV blocks but the executor has {executor.NumKvBlocks}.", nameof(options));
        Options = options;
        _executor = executor;
        _scheduler = new Scheduler(options);
        _stops = new StopChecker(executor.Model.EosTokenIds);
        _sampled = new int[options.MaxNumSeqs];
        _logprobs = new TokenLogprobs?[options.MaxNumSeqs];
    }

    public EngineOptions Options { get; }
    public int MaxModelLength => Options.MaxModelLen!.Value;
    public int VocabSize => _executor.Model.VocabSize;
    /// <summary>True when steps overlap (step N+1 is launched before step N is read back), as the executor offers.</summary>
    public bool Overlapped => _executor.OverlapEnabled;

    /// <summary>Whether the backend computes log probabilities (the CPU executor from its host logits, the CUDA
    /// executor on the GPU); both step loops carry them.</summary>
    public bool ComputesLogprobs => _executor.ComputesLogprobs;

    public bool HasUnfinishedRequests => _scheduler.HasUnfinished || _pendingAborts.Count > 0 || _inFlight is not null;

    /// <summary>Totals since start: steps, preemptions, prompt and generated tokens, aborts.</summary>
    public SchedulerCounters Counters => _scheduler.Counters;

    public EngineStats Stats => new(
        _scheduler.NumRunning,
        _scheduler.NumWaiting,
        _scheduler.Blocks.Usage,
        _scheduler.Counters.Preemptions,
        _scheduler.Counters.PromptTokens,
        _scheduler.Counters.GenerationTokens) { GpuIdleShare = _executor.GpuIdleShare };

    public void AddRequest(GenerationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestValidation.Validate(request, MaxModelLength, VocabSize);
        if (request.Sampling.Logprobs is not null && !ComputesLogprobs)
            throw new ArgumentException(LogprobsUnsupported, nameof(request));
        if (_scheduler.Contains(request.Id))
            throw new ArgumentException($"a request with id '{request.Id}' is already running; ids must be unique.", nameof(request));
        ulong seed = request.Sampling.Seed ?? CounterRng.Mix(Options.Seed, _requestsSeen);
        _requestsSeen++;
        _scheduler.Add(new Sequence(request.Id, request.PromptIds, request.Sampling, seed, MaxModelLength,
            _stops.StopIdsFor(request.Sampling), request.ArrivalTicks));
    }

    /// <summary>Why this engine refuses a request for log probabilities.</summary>
    public const string LogprobsUnsupported =
        "this engine's backend does not compute log probabilities; leave logprobs out.";

    public void Abort(string requestId)
    {
        if (_scheduler.TryGet(requestId, out var sequence) && _scheduler.Abort(requestId))
            _pendingAborts.Add(new TokenEvent(requestId, -1, sequence.NumOutputTokens, FinishReason.Aborted));
    }

    public IReadOnlyList<TokenEvent> Step()
    {
        var events = new List<TokenEvent>(_pendingAborts);
        _pendingAborts.Clear();
        if (_executor.OverlapEnabled)
            return StepOverlapped(_executor, events);
        var plan = _scheduler.Schedule();
        if (plan.IsEmpty)
            return events;

        var sampled = _sampled.AsSpan(0, plan.NumSampled);
        var logprobs = _logprobs.AsSpan(0, plan.NumSampled);
        logprobs.Clear();
        _executor.Execute(plan, sampled, logprobs);
        int next = 0;
        foreach (var entry in plan.Entries)
        {
            if (!entry.Sample)
                continue;
            var sequence = entry.Sequence;
            var tokenLogprobs = logprobs[next];
            int token = sampled[next++];
            _scheduler.CommitToken(sequence, token);
            var finish = _stops.Check(sequence);
            events.Add(new TokenEvent(sequence.RequestId, token, sequence.NumOutputTokens - 1, finish) { Logprobs = tokenLogprobs });
            if (finish is { } reason)
                _scheduler.Finish(sequence, reason == FinishReason.Stop ? SequenceStatus.FinishedStopped : SequenceStatus.FinishedLength);
        }
        return events;
    }

    public void Dispose() => _executor.Dispose();
}
