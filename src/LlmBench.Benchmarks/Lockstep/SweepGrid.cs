using LlmBench.Benchmarks.Workloads;
using LlmBench.Engine;
using LlmBench.Engine.Api;
using LlmBench.Reports.Sweep;

namespace LlmBench.Benchmarks.Lockstep;

/// <summary>One point of a sweep's grid; prompts of exactly <see cref="InputLen"/> tokens, or uniform in [InputLen, InputLenMax] when varied.</summary>
public readonly record struct SweepShape(int BatchSize, int InputLen, int OutputLen, int InputLenMax)
{
    public SweepShape(int batchSize, int inputLen, int outputLen)
        : this(batchSize, inputLen, outputLen, inputLen)
    {
    }

    /// <summary>Prompt lengths drawn from a range ("128-512") rather than fixed.</summary>
    public bool VariedInput => InputLenMax > InputLen;

    /// <summary>The longest sequence a request of this point can have: the longest prompt and the output.</summary>
    public int LongestSequence => InputLenMax + OutputLen;

    /// <summary>"128" or "128-512", as --input-lens spells it.</summary>
    public string InputText => VariedInput ? $"{InputLen}-{InputLenMax}" : $"{InputLen}";

    /// <summary>The shape of a point already made.</summary>
    public static SweepShape Of(SweepPoint p) => new(p.BatchSize, p.InputLen, p.OutputLen, p.InputLenMax);

    /// <summary>This shape's point on <paramref name="backend"/>, its figures still empty.</summary>
    public SweepPoint Point(string backend, SweepPointStatus status, string? note) => new()
    {
        Backend = backend,
        BatchSize = BatchSize,
        InputLen = InputLen,
        InputLenMax = InputLenMax,
        OutputLen = OutputLen,
        Status = status,
        Note = note,
    };
}

/// <summary>
/// The grid of `llmbench sweep`: every batch size × input length × output length, lengths outermost so that a
/// length pair's batches run one after another. Parses the comma-separated lists of its flags.
/// </summary>
public static class SweepGrid
{
    /// <summary>1, 2, 4, …, 512.</summary>
    public static readonly IReadOnlyList<int> DefaultBatchSizes = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

    public static IReadOnlyList<SweepShape> Create(IReadOnlyList<int> batchSizes, IReadOnlyList<int> inputLens, IReadOnlyList<int> outputLens) =>
        Create(batchSizes, inputLens.Select(i => new LengthRange(i, i)).ToArray(), outputLens);

    /// <param name="inputLens">Prompt lengths of --input-lens: one value, or a range drawn uniformly per request.</param>
    public static IReadOnlyList<SweepShape> Create(IReadOnlyList<int> batchSizes, IReadOnlyList<LengthRange> inputLens, IReadOnlyList<int> outputLens) =>
        (from input in inputLens from output in outputLens from batch in batchSizes select new SweepShape(batch, input.Min, output, input.Max)).ToArray();

    /// <summary>"128,128-512" → [128, 128–512]: positive integers, or ranges LOW-HIGH with LOW &lt; HIGH (uniform per request); one sentence otherwise.</summary>
    public static IReadOnlyList<LengthRange> ParseInputLengths(string flag, string? text)
    {
        var parts = (text ?? "").Split(',', StringSplitOptions.TrimEntries);
        if (parts.All(p => p.Length == 0))
            throw new ArgumentException($"{flag} needs at least one length, like 128 or 128-512.");
        // A range written out must be one (128-128 is refused here; write 128).
        return parts.Select(p => LengthRange.TryParse(p) is { } range && (range.Varied || !p.Contains('-', StringComparison.Ordinal))
            ? range
            : throw new ArgumentException($"{flag} takes positive integers or ranges LOW-HIGH (LOW < HIGH) separated by commas, got '{p}'.")).Distinct().ToArray();
    }

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
        int length = s.LongestSequence;
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
