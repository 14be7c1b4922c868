namespace LlmBench.Engine.Cpu;

/// <summary>
/// The KV cache in host memory: per layer, one fp32 array for K and one for V, laid out
/// [block][kv head][slot in block][head_dim], so one head's keys of a block are contiguous (attention reads them in a
/// run instead of one 4 KB-strided row per token). A token's slot is blockTable[pos / BlockSize] * BlockSize +
/// pos % BlockSize; the scheduler's block manager decides which blocks a sequence owns.
/// </summary>
internal sealed class PagedKvCache
{
    private readonly float[][] _keys;
    private readonly float[][] _values;

    public PagedKvCache(int numLayers, int numBlocks, int blockSize, int numKvHeads, int headDim)
    {
        NumBlocks = numBlocks;
        BlockSize = blockSize;
        NumKvHeads = numKvHeads;
        HeadDim = headDim;
        long perLayer = (long)numBlocks * blockSize * numKvHeads * headDim;
        if (perLayer > Array.MaxLength)
            throw new UserErrorException($"a KV cache of {numBlocks} blocks is too large for one CPU array per layer; lower the KV cache memory.");
        _keys = new float[numLayers][];
        _values = new float[numLayers][];
        for (int layer = 0; layer < numLayers; layer++)
        {
            _keys[layer] = GC.AllocateUninitializedArray<float>((int)perLayer, pinned: true);
            _values[layer] = GC.AllocateUninitializedArray<float>((int)perLayer, pinned: true);
        }
    }

    public int NumBlocks { get; }
    public int BlockSize { get; }

    public int NumKvHeads { get; }
    public int HeadDim { get; }

    /// <summary>Where kv head <paramref name="kvHead"/> of cache block <paramref name="block"/> starts in K (and V): BlockSize rows of HeadDim.</summary>
    public int HeadRun(int block, int kvHead) => (block * NumKvHeads + kvHead) * BlockSize * HeadDim;

    public static long BytesPerBlock(int numLayers, int blockSize, int numKvHeads, int headDim) =>
        2L * numLayers * blockSize * numKvHeads * headDim * sizeof(float);

    public float[] Keys(int layer) => _keys[layer];
    public float[] Values(int layer) => _values[layer];

    public static int Slot(IReadOnlyList<int> blockTable, int position, int blockSize) =>
        blockTable[position / blockSize] * blockSize + position % blockSize;

    /// <summary>Stores one token's K and V rows (kv heads × head_dim each) at <paramref name="slot"/>.</summary>
    public void Write(int layer, int slot, ReadOnlySpan<float> key, ReadOnlySpan<float> value)
    {
        int block = slot / BlockSize, row = slot % BlockSize * HeadDim;
        for (int head = 0; head < NumKvHeads; head++)
        {
            int at = HeadRun(block, head) + row;
            key.Slice(head * HeadDim, HeadDim).CopyTo(_keys[layer].AsSpan(at, HeadDim));
            value.Slice(head * HeadDim, HeadDim).CopyTo(_values[layer].AsSpan(at, HeadDim));
        }
    }
}
