namespace LlmBench.Kernels.Tests.Reference;

/// <summary>util.cu: gather_rows, advance_tokens and mask_tokens.</summary>
public static class UtilReference
{
    public static T[] GatherRows<T>(ReadOnlySpan<T> source, int width, ReadOnlySpan<int> rows)
    {
        var output = new T[rows.Length * width];
        for (var r = 0; r < rows.Length; r++)
            source.Slice(rows[r] * width, width).CopyTo(output.AsSpan(r * width, width));
        return output;
    }

    /// <summary>token_ids[j] = sampled[src_row[j]] where src_row[j] ≥ 0; other ids stay as they are.</summary>
    public static int[] AdvanceTokens(ReadOnlySpan<int> sampled, ReadOnlySpan<int> sourceRows, ReadOnlySpan<int> tokenIds)
    {
        var next = tokenIds.ToArray();
        for (var j = 0; j < next.Length; j++)
        {
            if (sourceRows[j] >= 0)
                next[j] = sampled[sourceRows[j]];
        }
        return next;
    }

    /// <summary>logits[rows[j] · vocab + ids[j]] = −∞ for every j whose id lies in [0, vocab); other ids are skipped.</summary>
    public static float[] MaskTokens(ReadOnlySpan<float> logits, int vocab, ReadOnlySpan<int> rows, ReadOnlySpan<int> ids)
    {
        var masked = logits.ToArray();
        for (var j = 0; j < ids.Length; j++)
        {
            if (ids[j] >= 0 && ids[j] < vocab)
                masked[(rows[j] * vocab) + ids[j]] = float.NegativeInfinity;
        }
        return masked;
    }
}
