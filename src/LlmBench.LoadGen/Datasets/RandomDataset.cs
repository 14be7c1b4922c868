using LlmBench.Text.Tokenization;

namespace LlmBench.LoadGen.Datasets;

/// <summary>
/// vLLM's RandomDataset: each request draws an input length from [len·(1−ratio), len·(1+ratio)] and an
/// output length likewise, its prompt is random token ids decoded to text (corrected for re-tokenization drift by
/// <see cref="RandomTokenText"/>), and a prefix of --random-prefix-len random ids is shared by every prompt. The prompt
/// length we report is the count of the final text re-encoded, never the target, so totals stay honest when a
/// correction does not converge; <see cref="LengthDrift"/> says by how much they differ in all.
/// </summary>
public sealed class RandomDataset(ITextTokenizer tokenizer, int tokenIdLimit)
{
    public const int MaxCorrections = RandomTokenText.MaxCorrections;

    private readonly RandomTokenText _text = new(tokenizer, tokenIdLimit);

    /// <summary>Σ |re-encoded length − drawn length| over the last <see cref="Sample"/>.</summary>
    public long LengthDrift { get; private set; }

    public IReadOnlyList<BenchRequest> Sample(DatasetOptions options)
    {
        var rng = new Random(options.Seed);
        var (inputLow, inputHigh) = Range(options.RandomInputLength, options.RandomRangeRatio);
        var (outputLow, outputHigh) = Range(options.RandomOutputLength, options.RandomRangeRatio);
        var prefix = _text.Ids(rng, options.RandomPrefixLength);
        LengthDrift = 0;

        var requests = new BenchRequest[options.NumPrompts];
        for (int i = 0; i < requests.Length; i++)
        {
            var inputLength = rng.Next(inputLow, inputHigh + 1);
            var outputLength = Math.Max(1, rng.Next(outputLow, outputHigh + 1));
            var target = prefix.Length + inputLength;
            var ids = prefix.Concat(_text.Ids(rng, inputLength)).ToArray();
            var (text, actual) = _text.DecodeToLength(rng, ids, target);
            LengthDrift += Math.Abs(actual - target);
            requests[i] = new BenchRequest(text, actual, outputLength);
        }

        return requests;
    }

    /// <summary>vLLM's bounds: floor(len·(1−r)) to ceil(len·(1+r)), never below 1.</summary>
    public static (int Low, int High) Range(int length, double ratio) =>
        (Math.Max(1, (int)Math.Floor(length * (1 - ratio))), Math.Max(1, (int)Math.Ceiling(length * (1 + ratio))));
}
