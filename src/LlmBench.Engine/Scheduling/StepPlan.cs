namespace LlmBench.Engine.Scheduling;

/// <summary>
/// One step's batch, as an executor consumes it: the scheduled sequences in order (decodes first, then prefill
/// chunks), and the totals a backend sizes its inputs by. Executors return sampled tokens in the order of the
/// entries whose <see cref="ScheduledSequence.Sample"/> is set.
/// </summary>
public sealed class StepPlan
{
    internal StepPlan(IReadOnlyList<ScheduledSequence> entries)
    {
        Entries = entries;
        foreach (var entry in entries)
        {
            NumTokens += entry.TokenCount;
            if (entry.Sample)
                NumSampled++;
            if (entry.IsDecode)
                NumDecodeTokens++;
        }
    }

    public static StepPlan Empty { get; } = new([]);

    public IReadOnlyList<ScheduledSequence> Entries { get; }

    public int NumTokens { get; }
    public int NumSampled { get; }
    public int NumDecodeTokens { get; }
    public int NumPrefillTokens => NumTokens - NumDecodeTokens;
    public bool IsEmpty => Entries.Count == 0;
}
