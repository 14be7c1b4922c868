namespace LlmBench.Engine.Scheduling;

/// <summary>
/// Continuous batching over a paged KV cache, after vLLM v1. Each step spends a token budget
/// (MaxNumBatchedTokens) on: running decodes first (oldest first), then the next chunks of running prefills,
/// then new or preempted sequences from the waiting queue (first come, first served; a long prompt is split
/// across steps). When blocks run out the newest running sequence is preempted by recompute: its blocks are
/// freed, it goes to the front of the waiting queue, and its tokens so far (outputs included) are computed again
/// as its prompt when it returns. The scheduler advances NumComputedTokens when it schedules; the caller appends
/// sampled tokens with <see cref="CommitToken"/> and ends sequences with <see cref="Finish"/>.
/// </summary>
public sealed class Scheduler
{
    private readonly LinkedList<Sequence> _waiting = new();
    private readonly List<Sequence> _running = [];
    private readonly Dictionary<string, Sequence> _byId = new(StringComparer.Ordinal);

    public Scheduler(EngineOptions options)
    {
        if (!options.IsResolved)
            throw new ArgumentException("the scheduler needs options resolved for a model (NumKvBlocks and MaxModelLen set).", nameof(options));
        Options = options;
        Blocks = new BlockManager(options.NumKvBlocks!.Value, options.BlockSize);
    }

    public EngineOptions Options { get; }
    public BlockManager Blocks { get; }
    public SchedulerCounters Counters { get; } = new();

    public int NumRunning => _running.Count;
    public int NumWaiting => _waiting.Count;
    public bool HasUnfinished => _byId.Count > 0;

    /// <summary>Running sequences in admission order (oldest first).</summary>
    public IReadOnlyList<Sequence> Running => _running;

    public IEnumerable<Sequence> Waiting => _waiting;

    public bool Contains(string requestId) => _byId.ContainsKey(requestId);

    public bool TryGet(string requestId, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Sequence sequence) =>
        _byId.TryGetValue(requestId, out sequence);

    public void Add(Sequence sequence)
    {
        if (sequence.Status != SequenceStatus.Waiting || sequence.NumComputedTokens != 0)
            throw new ArgumentException($"sequence {sequence.RequestId} was already scheduled.", nameof(sequence));
        if (sequence.NumTokens >= Options.MaxModelLen)
            throw new ArgumentException(
                $"request {sequence.RequestId} has {sequence.NumTokens} prompt tokens, but the model length is {Options.MaxModelLen}.", nameof(sequence));
        if (!_byId.TryAdd(sequence.RequestId, sequence))
            throw new ArgumentException($"a request with id '{sequence.RequestId}' is already queued or running.", nameof(sequence));
        _waiting.AddLast(sequence);
    }

    /// <summary>Plans the next step; an empty plan when nothing is waiting or running.</summary>
    public StepPlan Schedule()
    {
        var entries = new List<ScheduledSequence>();
        int budget = Options.MaxNumBatchedTokens;
        bool preempted = false;

        // Decodes first keeps inter-token latency steady under long prefills; then unfinished prefills.
        foreach (bool decodePass in (ReadOnlySpan<bool>)[true, false])
        {
            for (int i = 0; i < _running.Count && budget > 0; i++)
            {
                var sequence = _running[i];
                bool isDecode = sequence.NumUncomputedTokens == 1;
                if (isDecode != decodePass || sequence.NumUncomputedTokens == 0 || Planned(entries, sequence))
                    continue;
                int count = Math.Min(sequence.NumUncomputedTokens, budget);
                if (!CoverOrPreempt(sequence, count, entries, ref budget, ref preempted))
                    break; // the sequence itself was preempted: everything newer is gone too
                entries.Add(Plan(sequence, count));
                budget -= count;
            }
        }

        // A step that had to preempt admits nobody: the cache is full.
        while (!preempted && budget > 0 && _running.Count < Options.MaxNumSeqs && _waiting.First is { } node)
        {
            var sequence = node.Value;
            int count = Math.Min(sequence.NumUncomputedTokens, budget);
            if (!Blocks.TryCover(sequence, count))
                break; // first come, first served: nobody overtakes the head of the queue
            _waiting.RemoveFirst();
            sequence.Status = SequenceStatus.Running;
            _running.Add(sequence);
            entries.Add(Plan(sequence, count));
            budget -= count;
        }

        Counters.Steps++;
        Counters.PeakKvCacheUsage = Math.Max(Counters.PeakKvCacheUsage, Blocks.Usage);
        return entries.Count == 0 ? StepPlan.Empty : new StepPlan(entries);
    }

    /// <summary>Appends a token sampled for <paramref name="sequence"/> by the last step.</summary>
    public void CommitToken(Sequence sequence, int tokenId)
    {
        if (sequence.NumOutputTokens == 0)
            Counters.PromptTokens += sequence.PromptLength;
        sequence.AppendOutput(tokenId);
        Counters.GenerationTokens++;
    }

    /// <summary>Ends a sequence and frees its blocks at once.</summary>
    public void Finish(Sequence sequence, SequenceStatus status)
    {
        if (status < SequenceStatus.FinishedStopped)
            throw new ArgumentOutOfRangeException(nameof(status), status, "a finish status is required.");
        if (!_byId.Remove(sequence.RequestId))
            return;
        if (sequence.Status == SequenceStatus.Running)
            _running.Remove(sequence);
        else
            _waiting.Remove(sequence);
        Blocks.Free(sequence);
        sequence.Status = status;
    }

    /// <summary>Aborts a waiting or running request; false when the id is unknown (already finished).</summary>
    public bool Abort(string requestId)
    {
        if (!_byId.TryGetValue(requestId, out var sequence))
            return false;
        Finish(sequence, SequenceStatus.FinishedAborted);
        Counters.Aborted++;
        return true;
    }

    private ScheduledSequence Plan(Sequence sequence, int count)
    {
        var entry = new ScheduledSequence(sequence, sequence.NumComputedTokens, count);
        sequence.NumComputedTokens += count;
        return entry;
    }

    /// <summary>
    /// Makes room for <paramref name="count"/> more tokens of a running sequence, preempting the newest running
    /// sequences (unplanning them if this step already planned them) until the blocks fit. False when the
    /// sequence had to preempt itself.
    /// </summary>
    private bool CoverOrPreempt(Sequence sequence, int count, List<ScheduledSequence> entries, ref int budget, ref bool preempted)
    {
        while (!Blocks.TryCover(sequence, sequence.NumComputedTokens + count))
        {
            var victim = _running[^1];
            int planned = entries.FindIndex(e => ReferenceEquals(e.Sequence, victim));
            if (planned >= 0)
            {
                budget += entries[planned].TokenCount;
                entries.RemoveAt(planned);
            }
            Preempt(victim);
            preempted = true;
            if (ReferenceEquals(victim, sequence))
                return false;
        }
        return true;
    }

    private void Preempt(Sequence sequence)
    {
        _running.RemoveAt(_running.Count - 1);
        Blocks.Free(sequence);
        sequence.NumComputedTokens = 0;
        sequence.Status = SequenceStatus.Waiting;
        _waiting.AddFirst(sequence);
        Counters.Preemptions++;
    }

    private static bool Planned(List<ScheduledSequence> entries, Sequence sequence)
    {
        foreach (var entry in entries)
        {
            if (ReferenceEquals(entry.Sequence, sequence))
                return true;
        }
        return false;
    }
}
