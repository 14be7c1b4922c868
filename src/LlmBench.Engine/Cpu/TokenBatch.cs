using LlmBench.Engine.Scheduling;

namespace LlmBench.Engine.Cpu;

/// <summary>
/// The tokens of one forward pass, flattened across sequences: id, position, KV slot and the owning sequence's
/// block table per token, plus which rows are sampled. Arrays are sized once for the largest pass.
/// </summary>
internal sealed class TokenBatch
{
    public TokenBatch(int capacity)
    {
        Capacity = capacity;
        TokenIds = new int[capacity];
        Positions = new int[capacity];
        Slots = new int[capacity];
        BlockTables = new IReadOnlyList<int>[capacity];
        SampleRows = new int[capacity];
        SampleEntries = new ScheduledSequence[capacity];
    }

    public int Capacity { get; }
    public int Count { get; private set; }
    public int SampleCount { get; private set; }

    public int[] TokenIds { get; }
    public int[] Positions { get; }
    public int[] Slots { get; }
    public IReadOnlyList<int>[] BlockTables { get; }

    /// <summary>Rows (token indices in this pass) whose logits are needed, in the plan's sampling order.</summary>
    public int[] SampleRows { get; }
    public ScheduledSequence[] SampleEntries { get; }

    public bool IsFull => Count == Capacity;

    public void Clear()
    {
        Count = 0;
        SampleCount = 0;
    }

    public void Add(int tokenId, int position, IReadOnlyList<int> blockTable, int blockSize)
    {
        TokenIds[Count] = tokenId;
        Positions[Count] = position;
        Slots[Count] = PagedKvCache.Slot(blockTable, position, blockSize);
        BlockTables[Count] = blockTable;
        Count++;
    }

    /// <summary>Marks the last added token as the one <paramref name="entry"/> samples from.</summary>
    public void SampleLast(ScheduledSequence entry)
    {
        SampleRows[SampleCount] = Count - 1;
        SampleEntries[SampleCount] = entry;
        SampleCount++;
    }

    /// <summary>
    /// Fills the batch from <paramref name="plan"/> starting at the cursor (entry, token offset) and advances it;
    /// a long prefill chunk continues in the next pass. False when the plan is used up.
    /// </summary>
    public bool FillFrom(StepPlan plan, ref int entryIndex, ref int tokenOffset, int blockSize)
    {
        Clear();
        var entries = plan.Entries;
        while (!IsFull && entryIndex < entries.Count)
        {
            var entry = entries[entryIndex];
            var ids = entry.TokenIds.Span;
            int take = Math.Min(entry.TokenCount - tokenOffset, Capacity - Count);
            for (int i = 0; i < take; i++)
                Add(ids[tokenOffset + i], entry.StartPosition + tokenOffset + i, entry.BlockTable, blockSize);
            tokenOffset += take;
            if (tokenOffset == entry.TokenCount)
            {
                if (entry.Sample)
                    SampleLast(entry);
                entryIndex++;
                tokenOffset = 0;
            }
        }
        return Count > 0;
    }
}
