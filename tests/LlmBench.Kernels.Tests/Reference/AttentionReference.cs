namespace LlmBench.Kernels.Tests.Reference;

/// <summary>A D-vector by index (a key or value of one sequence and kv head).</summary>
public delegate ReadOnlySpan<float> VectorAt(int index);

/// <summary>
/// Plain softmax attention in double from bf16 inputs: out = Σ_j softmax_j(scale · q·k_j) v_j over keys 0..count−1.
/// The decode and prefill views read keys through the paged cache with the kernels' position rules.
/// </summary>
public static class AttentionReference
{
    public static double[] Attend(ReadOnlySpan<float> q, int keyCount, VectorAt key, VectorAt value, double scale)
    {
        var scores = new double[keyCount];
        var max = double.NegativeInfinity;
        for (var j = 0; j < keyCount; j++)
        {
            scores[j] = scale * Dot(q, key(j));
            max = Math.Max(max, scores[j]);
        }
        var output = new double[q.Length];
        double sum = 0;
        for (var j = 0; j < keyCount; j++)
        {
            var weight = Math.Exp(scores[j] - max);
            sum += weight;
            var v = value(j);
            for (var e = 0; e < output.Length; e++)
                output[e] += weight * v[e];
        }
        for (var e = 0; e < output.Length; e++)
            output[e] /= sum;
        return output;
    }

    public static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
            sum += (double)a[i] * b[i];
        return sum;
    }

    /// <summary>
    /// decode_attention: sequence s has one query at row seqStart[s] that sees all contextLens[s] keys.
    /// Returns [T, NUM_Q_HEADS·D]; rows that are no sequence's query stay NaN.
    /// </summary>
    public static double[] Decode(QkvLayout layout, float[] qkv, int[] seqStart, PagedKvCache cache, double scale)
    {
        var rows = qkv.Length / layout.RowWidth;
        var output = new double[rows * layout.OutWidth];
        Array.Fill(output, double.NaN);
        for (var s = 0; s < cache.ContextLens.Length; s++)
            AttendRow(layout, qkv, seqStart[s], s, cache.ContextLens[s], cache, scale, output);
        return output;
    }

    /// <summary>
    /// prefill_attention: query i of sequence s (chunk of L rows) sits at position ctx − L + i and sees keys
    /// 0..ctx − L + i, the earlier context and the chunk's own keys alike read from the cache. With
    /// <paramref name="onlyRows"/>, only those rows are computed (long chunks); the others stay NaN.
    /// </summary>
    public static double[] Prefill(QkvLayout layout, float[] qkv, int[] seqStart, PagedKvCache cache, double scale, IReadOnlySet<int>? onlyRows = null)
    {
        var rows = qkv.Length / layout.RowWidth;
        var output = new double[rows * layout.OutWidth];
        Array.Fill(output, double.NaN);
        for (var s = 0; s < cache.ContextLens.Length; s++)
        {
            var length = seqStart[s + 1] - seqStart[s];
            var firstPosition = cache.ContextLens[s] - length;
            for (var i = 0; i < length; i++)
            {
                if (onlyRows is null || onlyRows.Contains(seqStart[s] + i))
                    AttendRow(layout, qkv, seqStart[s] + i, s, firstPosition + i + 1, cache, scale, output);
            }
        }
        return output;
    }

    private static void AttendRow(QkvLayout layout, float[] qkv, int row, int seq, int keyCount, PagedKvCache cache, double scale, double[] output)
    {
        for (var h = 0; h < layout.NumQHeads; h++)
        {
            var kvHead = h / layout.GroupSize;
            var q = qkv.AsSpan(row * layout.RowWidth + layout.QOffset(h), layout.HeadDim);
            var result = Attend(q, keyCount, j => cache.KeyAt(seq, j, kvHead), j => cache.ValueAt(seq, j, kvHead), scale);
            result.CopyTo(output, row * layout.OutWidth + h * layout.HeadDim);
        }
    }
}
