using LlmBench.Engine;
using LlmBench.Engine.Api;

namespace LlmBench.Benchmarks.Lockstep;

/// <summary>One point of a sweep's grid.</summary>
public readonly record struct SweepShape(int BatchSize, int InputLen, int OutputLen);

/// <summary>
/// The grid of `llmbench sweep`: every batch size × input length × output length, lengths outermost so that a
/// length pair's batches run one after another. Parses the comma-separated lists of its flags.
/// </summary>
public static class SweepGrid
{
    /// <summary>1, 2, 4, …, 512.</summary>
    public static readonly IReadOnlyList<int> DefaultBatchSizes = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

    public static IReadOnlyList<SweepShape> Create(IReadOnlyList<int> batchSizes, IReadOnlyList<int> inputLens, IReadOnlyList<int> outputLens) =>
        (from input in inputLens from output in outputLens from batch in batchSizes select new SweepShape(batch, input, output)).ToArray();

    /// <summary>"1,2,4" → [1, 2, 4]; every value a positive integer, at least one; one sentence otherwise.</summary>
    public static IReadOnlyList<int> ParseList(string flag, string? text)
    {
        var parts = (text ?? "").Split(',', StringSplitOptions.TrimEntries);
        if (parts.All(p => p.Length == 0))
            throw new ArgumentException($"{flag} needs at least one positive integer, like 1,2,4.");
        return parts.Select(p => int.TryParse(p, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) && v > 0
            ? v
            : throw new ArgumentException($"{flag} takes positive integers separated by commas, got '{p}'.")).Distinct().ToArray();
    }

    /// <summary>
    /// Why a point cannot run on this engine, or null when it fits: its sequences are longer than the model length, or
    /// the batch needs more KV blocks (batch × ⌈(input + output) / block⌉) than the cache has.
    /// </summary>
    public static string? DoesNotFit(SweepShape s, int maxModelLength, int? kvBlocks, int blockSize)
    {
        int length = s.InputLen + s.OutputLen;
        if (length > maxModelLength)
            return $"does not fit: a sequence is {length} tokens, the model length is {maxModelLength}";
        long needed = (long)s.BatchSize * ((length + blockSize - 1) / blockSize);
        if (kvBlocks is { } blocks && needed > blocks)
            return $"does not fit: needs {needed} KV blocks, the cache has {blocks}";
        return null;
    }

    /// <summary>Why <paramref name="shape"/> cannot run on <paramref name="engine"/> (its model length, and its KV cache where it is an <see cref="LlmEngine"/>), or null.</summary>
    public static string? DoesNotFit(SweepShape shape, IInferenceEngine engine)
    {
        var options = (engine as LlmEngine)?.Options;
        return DoesNotFit(shape, engine.MaxModelLength, options?.NumKvBlocks, options?.BlockSize ?? 16);
    }
}
