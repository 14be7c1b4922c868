namespace LlmBench.Engine.Cuda.Tests;

/// <summary>Comparisons with tolerances for bf16 computation.</summary>
internal static class Compare
{
    public static float MaxAbsDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        float max = 0;
        for (int i = 0; i < a.Length; i++)
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }

    /// <summary>
    /// Asserts <paramref name="actual"/> equals <paramref name="expected"/> until the first position where they differ
    /// and, there, that the step was a near-tie in <paramref name="logits"/> (the two tokens' logits within
    /// <paramref name="tieTolerance"/> of each other); returns how many tokens matched.
    /// </summary>
    public static int GreedyUntilNearTie(int[] expected, int[] actual, float[][] logits, float tieTolerance)
    {
        int n = Math.Min(expected.Length, actual.Length);
        for (int i = 0; i < n; i++)
        {
            if (expected[i] == actual[i])
                continue;
            var row = logits[i];
            float gap = Math.Abs(row[actual[i]] - row[expected[i]]);
            Assert.True(gap <= tieTolerance,
                $"token {i}: chose {actual[i]} but the reference chose {expected[i]}, and the logits differ by {gap} (not a near-tie).");
            return i;
        }
        return n;
    }
}
