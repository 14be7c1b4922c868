using LlmBench.Kernels.Tests.Reference;
using LlmBench.Kernels.Tests.Support;

namespace LlmBench.Kernels.Tests.Cpu;

public class AttentionReferenceTests
{
    [Fact]
    public void Attend_EqualsTheTextbookFormula()
    {
        var data = new SeededData(1);
        const int d = 8, n = 5;
        var q = data.Bf16Values(d, 2.0);
        var keys = Enumerable.Range(0, n).Select(_ => data.Bf16Values(d)).ToArray();
        var values = Enumerable.Range(0, n).Select(_ => data.Bf16Values(d)).ToArray();
        const double scale = 0.35;

        var result = AttentionReference.Attend(q, n, j => keys[j], j => values[j], scale);

        // exp(s_j) / Σ exp(s_k) without the max shift, each dot product written out.
        var weights = keys.Select(k => Math.Exp(scale * Enumerable.Range(0, d).Sum(e => (double)q[e] * k[e]))).ToArray();
        for (var e = 0; e < d; e++)
            Assert.Equal(Enumerable.Range(0, n).Sum(j => weights[j] * values[j][e]) / weights.Sum(), result[e], 12);
    }

    [Fact]
    public void Attend_WithEqualScores_AveragesTheValues_AndWithOneKey_ReturnsItsValue()
    {
        float[] q = [1, 0];
        float[][] keys = [[0, 1], [0, -2], [0, 5]];
        float[][] values = [[1, 2], [3, 4], [8, -3]];
        var mean = AttentionReference.Attend(q, 3, j => keys[j], j => values[j], 1.0);
        Assert.Equal(4.0, mean[0], 12);
        Assert.Equal(1.0, mean[1], 12);
        Assert.Equal([8.0, -3.0], AttentionReference.Attend(q, 1, _ => keys[2], _ => values[2], 1.0));
    }

    [Theory]
    [InlineData(1, 64)]
    [InlineData(15, 64)]
    [InlineData(17, 3)]
    [InlineData(65, 64)]
    [InlineData(3001, 64)]
    [InlineData(3001, 7)]
    [InlineData(3001, 1)]
    public void FlashDecodingSplits_EqualPlainSoftmaxAttention(int context, int splits)
    {
        var data = new SeededData(context + splits);
        const int d = 16, blockSize = 16;
        var q = data.Bf16Values(d, 3.0);
        var keys = data.Bf16Values((long)context * d);
        var values = data.Bf16Values((long)context * d);
        VectorAt key = j => keys.AsSpan(j * d, d), value = j => values.AsSpan(j * d, d);

        var plain = AttentionReference.Attend(q, context, key, value, 0.25);
        var split = FlashDecodingReference.Attend(q, context, key, value, 0.25, splits, blockSize);

        for (var e = 0; e < d; e++)
            Assert.Equal(plain[e], split[e], 12);
        Assert.InRange(FlashDecodingReference.Partitions(context, splits, blockSize), 1, splits);
    }

    [Fact]
    public void Partitions_AreWholeBlocks_OfAtLeastFourBlocks()
    {
        Assert.Equal(64, FlashDecodingReference.PartitionTokens(1, 64, 16));
        Assert.Equal(64, FlashDecodingReference.PartitionTokens(3001, 64, 16));  // ceil(3001/64) = 47 → 64
        Assert.Equal(47, FlashDecodingReference.Partitions(3001, 64, 16));
        Assert.Equal(432, FlashDecodingReference.PartitionTokens(3001, 7, 16));  // ceil(3001/7) = 429 → 432
        Assert.Equal(3008, FlashDecodingReference.PartitionTokens(3001, 1, 16));
    }

    [Fact]
    public void Prefill_LastRowOfAChunk_EqualsDecodeOfThatRow_AndFirstRowSeesOnlyItsPast()
    {
        var data = new SeededData(9);
        var layout = new QkvLayout(4, 2, 16);
        int[] lengths = [5, 1, 20];
        int[] contexts = [5, 40, 37];
        int[] seqStart = [0, 5, 6, 26];
        var cache = PagedKvCache.Create(data, contexts, layout.NumKvHeads, 8, layout.HeadDim);
        var qkv = data.Bf16Values(26L * layout.RowWidth, 2.0);

        var prefill = AttentionReference.Prefill(layout, qkv, seqStart, cache, 0.25);
        var lastRows = new[] { 4, 5, 25 };
        var decode = AttentionReference.Decode(layout, qkv, lastRows, cache, 0.25);

        foreach (var row in lastRows)
        {
            for (var i = 0; i < layout.OutWidth; i++)
                Assert.Equal(decode[row * layout.OutWidth + i], prefill[row * layout.OutWidth + i], 12);
        }
        // Row 0 is position 0 of a fresh sequence: its only key is itself, so each head returns its kv head's value.
        for (var h = 0; h < layout.NumQHeads; h++)
        {
            var v = cache.ValueAt(0, 0, h / layout.GroupSize);
            for (var e = 0; e < layout.HeadDim; e++)
                Assert.Equal(v[e], prefill[h * layout.HeadDim + e], 12);
        }
        Assert.Equal(lengths.Sum(), seqStart[^1]);
    }

    [Fact]
    public void PagedKvCache_ScattersBlocks_AndPoisonsEverySlotOutsideAContext()
    {
        var data = new SeededData(4);
        int[] contexts = [1, 17, 32];
        var cache = PagedKvCache.Create(data, contexts, 2, 16, 8);
        var used = new HashSet<int>();
        for (var s = 0; s < contexts.Length; s++)
        {
            for (var b = 0; b < (contexts[s] + 15) / 16; b++)
                Assert.True(used.Add(cache.BlockTables[s * cache.MaxBlocksPerSeq + b]));
        }
        Assert.DoesNotContain(0, used); // block 0 is the poison block unused table entries point to
        var live = contexts.Sum() * 2 * 8;
        Assert.Equal(live, cache.K.Count(v => !float.IsNaN(v)));
        Assert.False(float.IsNaN(cache.KeyAt(1, 16, 1)[7]));
        Assert.Equal(cache.Layout.Offset(cache.Slot(2, 31), 1), cache.Offset(2, 31, 1));
    }
}
