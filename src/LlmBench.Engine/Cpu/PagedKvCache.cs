namespace LlmBench.Engine.Cpu;

/// <summary>
/// The KV cache in host memory: per layer, one fp32 array for K and one for V, laid out
/// [block][slot in block][kv head][head_dim]. A token's slot is blockTable[pos / BlockSize] * BlockSize + pos % BlockSize;
/// the scheduler's block manager decides which blocks a sequence owns.
/// </summary>
internal sealed class PagedKvCache
{
    private readonly float[][] _keys;
    private readonly float[][] _values;

    public PagedKvCache(int numLayers, int numBlocks, int blockSize, int numKvHeads, int headDim)
    {
        NumBlocks = numBlocks;
        BlockSize = blockSize;
        TokenStride = numKvHeads * headDim;
        long perLayer = (long)numBlocks * blockSize * TokenStride;
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

    /// <summary>Floats per token per layer in K (and in V): kv heads × head_dim.</summary>
    public int TokenStride { get; }

    public static long BytesPerBlock(int numLayers, int blockSize, int numKvHeads, int headDim) =>
        2L * numLayers * blockSize * numKvHeads * headDim * sizeof(float);

    public float[] Keys(int layer) => _keys[layer];
    public float[] Values(int layer) => _values[layer];

    public static int Slot(IReadOnlyList<int> blockTable, int position, int blockSize) =>
        blockTable[position / blockSize] * blockSize + position % blockSize;

    public void Write(int layer, int slot, ReadOnlySpan<float> key, ReadOnlySpan<float> value)
    {
        key.CopyTo(_keys[layer].AsSpan(slot * TokenStride, TokenStride));
        value.CopyTo(_values[layer].AsSpan(slot * TokenStride, TokenStride));
    }
}
