namespace LlmBench.Kernels.Tests.Reference;

/// <summary>embedding.cu: out[t, :] = table[ids[t], :]; an id outside [0, vocab) gives a zero row.</summary>
public static class EmbeddingReference
{
    public static float[] Gather(ReadOnlySpan<int> tokenIds, ReadOnlySpan<float> table, int hidden)
    {
        var vocab = table.Length / hidden;
        var output = new float[tokenIds.Length * hidden];
        for (var t = 0; t < tokenIds.Length; t++)
        {
            var id = tokenIds[t];
            if (id >= 0 && id < vocab)
                table.Slice(id * hidden, hidden).CopyTo(output.AsSpan(t * hidden, hidden));
        }
        return output;
    }
}
