using LlmBench.Kernels.Tests.Support;

namespace LlmBench.Kernels.Tests.Reference;

/// <summary>
/// A filled paged KV cache for attention tests: each sequence's blocks are scattered in a shuffled order, every
/// slot past a context (and all of block 0, where unused block-table entries point) holds NaN, so a kernel that
/// reads outside a context poisons its output instead of passing by luck.
/// </summary>
public sealed class PagedKvCache
{
    private PagedKvCache(PagedKvLayout layout, int[] contextLens, int maxBlocksPerSeq)
    {
        Layout = layout;
        ContextLens = contextLens;
        MaxBlocksPerSeq = maxBlocksPerSeq;
        K = new float[layout.Elements];
        V = new float[layout.Elements];
        Array.Fill(K, float.NaN);
        Array.Fill(V, float.NaN);
        BlockTables = new int[contextLens.Length * maxBlocksPerSeq];
    }

    public PagedKvLayout Layout { get; }

    public int[] ContextLens { get; }

    public int MaxBlocksPerSeq { get; }

    /// <summary>int32 [S, max_blocks_per_seq].</summary>
    public int[] BlockTables { get; }

    public float[] K { get; }

    public float[] V { get; }

    public static PagedKvCache Create(SeededData data, int[] contextLens, int numKvHeads, int blockSize, int headDim, double scale = 1.0)
    {
        var blocksPerSeq = contextLens.Select(c => (c + blockSize - 1) / blockSize).ToArray();
        var maxBlocks = Math.Max(1, blocksPerSeq.Max());
        var used = blocksPerSeq.Sum();
        var layout = new PagedKvLayout(used + 1, numKvHeads, blockSize, headDim);
        var cache = new PagedKvCache(layout, contextLens, maxBlocks);
        var order = data.Permutation(used);
        var next = 0;
        for (var s = 0; s < contextLens.Length; s++)
        {
            for (var b = 0; b < blocksPerSeq[s]; b++)
                cache.BlockTables[s * maxBlocks + b] = 1 + order[next++];
            for (var pos = 0; pos < contextLens[s]; pos++)
            {
                for (var h = 0; h < numKvHeads; h++)
                {
                    var at = cache.Offset(s, pos, h);
                    data.Bf16Values(headDim, scale).CopyTo(cache.K, at);
                    data.Bf16Values(headDim, scale).CopyTo(cache.V, at);
                }
            }
        }
        return cache;
    }

    public int Slot(int seq, int position) =>
        BlockTables[seq * MaxBlocksPerSeq + position / Layout.BlockSize] * Layout.BlockSize + position % Layout.BlockSize;

    public long Offset(int seq, int position, int kvHead) => Layout.Offset(Slot(seq, position), kvHead);

    public ReadOnlySpan<float> KeyAt(int seq, int position, int kvHead) => K.AsSpan((int)Offset(seq, position, kvHead), Layout.HeadDim);

    public ReadOnlySpan<float> ValueAt(int seq, int position, int kvHead) => V.AsSpan((int)Offset(seq, position, kvHead), Layout.HeadDim);
}
