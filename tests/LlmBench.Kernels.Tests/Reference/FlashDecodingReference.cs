namespace LlmBench.Kernels.Tests.Reference;

/// <summary>
/// The split-context algorithm of decode_attention.cu in double: the context is cut into at most Z partitions
/// (each a multiple of BLOCK_SIZE and at least DEC_WARPS blocks), each partition yields its max, softmax sum and
/// normalized output, and the merge reweights them. Tests show it equals plain softmax attention.
/// </summary>
public static class FlashDecodingReference
{
    /// <summary>Tokens per partition, exactly as partition_tokens() in decode_attention.cu computes it.</summary>
    public static int PartitionTokens(int context, int splits, int blockSize, int warps = 4)
    {
        var even = (context + splits - 1) / splits;
        return Math.Max(warps * blockSize, (even + blockSize - 1) / blockSize * blockSize);
    }

    public static int Partitions(int context, int splits, int blockSize, int warps = 4) =>
        (context + PartitionTokens(context, splits, blockSize, warps) - 1) / PartitionTokens(context, splits, blockSize, warps);

    public static double[] Attend(ReadOnlySpan<float> q, int keyCount, VectorAt key, VectorAt value, double scale, int splits, int blockSize)
    {
        var partLength = PartitionTokens(keyCount, splits, blockSize);
        var parts = new List<(double Max, double Sum, double[] Output)>();
        for (var begin = 0; begin < keyCount; begin += partLength)
        {
            var end = Math.Min(keyCount, begin + partLength);
            var first = begin;
            var max = double.NegativeInfinity;
            for (var j = first; j < end; j++)
                max = Math.Max(max, scale * AttentionReference.Dot(q, key(j)));
            double sum = 0;
            for (var j = first; j < end; j++)
                sum += Math.Exp(scale * AttentionReference.Dot(q, key(j)) - max);
            var output = AttentionReference.Attend(q, end - first, j => key(first + j), j => value(first + j), scale);
            parts.Add((max, sum, output));
        }
        var globalMax = parts.Max(p => p.Max);
        var merged = new double[q.Length];
        double total = 0;
        foreach (var (max, sum, output) in parts)
        {
            var weight = sum * Math.Exp(max - globalMax);
            total += weight;
            for (var e = 0; e < merged.Length; e++)
                merged[e] += weight * output[e];
        }
        for (var e = 0; e < merged.Length; e++)
            merged[e] /= total;
        return merged;
    }
}
