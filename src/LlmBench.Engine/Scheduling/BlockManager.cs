namespace LlmBench.Engine.Scheduling;

/// <summary>
/// The paged KV cache's bookkeeping: which physical blocks are free and which sequence holds which. Blocks are
/// handed out from a LIFO free list, so a block freed by a finished sequence is the next one reused (warm in cache).
/// No prefix caching: a block has exactly one owner.
/// </summary>
public sealed class BlockManager
{
    private readonly Stack<int> _free;

    public BlockManager(int numBlocks, int blockSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numBlocks, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        NumBlocks = numBlocks;
        BlockSize = blockSize;
        _free = new Stack<int>(numBlocks);
        for (int block = numBlocks - 1; block >= 0; block--)
            _free.Push(block);
    }

    public int NumBlocks { get; }
    public int BlockSize { get; }
    public int NumFreeBlocks => _free.Count;
    public int NumUsedBlocks => NumBlocks - _free.Count;

    /// <summary>Share of blocks in use, 0 to 1.</summary>
    public double Usage => (double)NumUsedBlocks / NumBlocks;

    public int BlocksForTokens(int numTokens) => (numTokens + BlockSize - 1) / BlockSize;

    /// <summary>Blocks <paramref name="sequence"/> still needs so that its cache covers <paramref name="numTokens"/> positions.</summary>
    public int BlocksNeeded(Sequence sequence, int numTokens) =>
        Math.Max(0, BlocksForTokens(numTokens) - sequence.BlockTable.Count);

    public bool CanCover(Sequence sequence, int numTokens) => BlocksNeeded(sequence, numTokens) <= _free.Count;

    /// <summary>Grows the sequence's block table to cover <paramref name="numTokens"/> positions; false (and no change) when too few blocks are free.</summary>
    public bool TryCover(Sequence sequence, int numTokens)
    {
        int needed = BlocksNeeded(sequence, numTokens);
        if (needed > _free.Count)
            return false;
        for (int i = 0; i < needed; i++)
            sequence.MutableBlockTable.Add(_free.Pop());
        return true;
    }

    /// <summary>Returns all of the sequence's blocks to the free list.</summary>
    public void Free(Sequence sequence)
    {
        var table = sequence.MutableBlockTable;
        for (int i = table.Count - 1; i >= 0; i--)
            _free.Push(table[i]);
        table.Clear();
    }
}
