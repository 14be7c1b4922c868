namespace LlmBench.Engine.Cuda;

/// <summary>
/// The token counts GEMM plans and decode graphs are built for: a step of n tokens runs at the smallest bucket
/// ≥ n (the extra rows are padding). Fine-grained where decode batches live, coarser for prefill.
/// </summary>
internal sealed class TokenBuckets
{
    private readonly int[] _sizes;

    public TokenBuckets(int maxTokens)
    {
        var sizes = new SortedSet<int> { 1, 2, 4 };
        for (int n = 8; n <= 256; n += 8)
            sizes.Add(n);
        for (int n = 384; n < maxTokens; n = n * 3 / 2 / 64 * 64)
            sizes.Add(n);
        sizes.RemoveWhere(n => n > maxTokens);
        sizes.Add(maxTokens);
        _sizes = [.. sizes];
    }

    public IReadOnlyList<int> Sizes => _sizes;

    public int Max => _sizes[^1];

    public int BucketFor(int tokens)
    {
        int index = Array.BinarySearch(_sizes, tokens);
        if (index < 0)
            index = ~index;
        if (index >= _sizes.Length)
            throw new ArgumentOutOfRangeException(nameof(tokens), $"{tokens} tokens exceed the largest bucket ({Max}).");
        return _sizes[index];
    }
}
