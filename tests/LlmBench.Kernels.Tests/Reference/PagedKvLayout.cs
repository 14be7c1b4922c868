namespace LlmBench.Kernels.Tests.Reference;

/// <summary>
/// The paged KV cache's layout, bf16 [num_blocks, NUM_KV_HEADS, BLOCK_SIZE, HEAD_DIM]: a slot (block·BLOCK_SIZE +
/// offset) names one token's place; each kv head's vector for that token is HEAD_DIM contiguous values.
/// </summary>
public readonly record struct PagedKvLayout(int NumBlocks, int NumKvHeads, int BlockSize, int HeadDim)
{
    public long Elements => (long)NumBlocks * NumKvHeads * BlockSize * HeadDim;

    /// <summary>Offset of element 0 of kv head <paramref name="kvHead"/> at <paramref name="slot"/>.</summary>
    public long Offset(int slot, int kvHead)
    {
        if (slot < 0 || slot >= NumBlocks * BlockSize)
            throw new ArgumentOutOfRangeException(nameof(slot), $"Slot {slot} is outside a cache of {NumBlocks} blocks of {BlockSize}.");
        return (((long)(slot / BlockSize) * NumKvHeads + kvHead) * BlockSize + slot % BlockSize) * HeadDim;
    }
}
