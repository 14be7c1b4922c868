using LlmBench.Text.Tokenization;

namespace LlmBench.LoadGen.Datasets;

/// <summary>
/// vLLM's RandomDataset: each request draws an input length from [len·(1−ratio), len·(1+ratio)] and an
/// output length likewise, its prompt is random token ids decoded to text, and a prefix of
/// --random-prefix-len random ids is shared by every prompt.
/// <para>
/// Re-tokenization drift: decoding random ids and encoding the text again rarely gives the same ids
/// (BPE merges across the joins), so the count drifts. Like vLLM we correct it: encode the text, cut
/// the ids to the target when there are too many or append fresh random ids when there are too few,
/// decode again, and repeat (at most <see cref="MaxCorrections"/> times). The prompt length we report is
/// the count of the final text re-encoded, never the target, so totals stay honest when a correction
/// does not converge; <see cref="LengthDrift"/> says by how much they differ in all.
/// </para>
/// </summary>
public sealed class RandomDataset
{
    public const int MaxCorrections = 10;

    private readonly ITextTokenizer _tokenizer;
    private readonly int _tokenIdLimit;
    private readonly HashSet<int> _excludedIds;

    /// <param name="tokenIdLimit">Ids are drawn from [0, tokenIdLimit): the ordinary vocabulary, below the special tokens.</param>
    public RandomDataset(ITextTokenizer tokenizer, int tokenIdLimit)
    {
        if (tokenIdLimit < 2)
            throw new ArgumentOutOfRangeException(nameof(tokenIdLimit), tokenIdLimit, "The vocabulary needs at least two ordinary tokens.");
        _tokenizer = tokenizer;
        _tokenIdLimit = tokenIdLimit;
        _excludedIds = [.. tokenizer.EosTokenIds.Where(id => id >= 0 && id < tokenIdLimit)];
        if (_excludedIds.Count >= tokenIdLimit)
            throw new ArgumentException($"Every id below {tokenIdLimit} is an end-of-sequence id: there is nothing to draw prompts from.");
    }

    /// <summary>Σ |re-encoded length − drawn length| over the last <see cref="Sample"/>.</summary>
    public long LengthDrift { get; private set; }

    public IReadOnlyList<BenchRequest> Sample(DatasetOptions options)
    {
        var rng = new Random(options.Seed);
        var (inputLow, inputHigh) = Range(options.RandomInputLength, options.RandomRangeRatio);
        var (outputLow, outputHigh) = Range(options.RandomOutputLength, options.RandomRangeRatio);
        var prefix = RandomIds(rng, options.RandomPrefixLength);
        LengthDrift = 0;

        var requests = new BenchRequest[options.NumPrompts];
        for (int i = 0; i < requests.Length; i++)
        {
            var inputLength = rng.Next(inputLow, inputHigh + 1);
            var outputLength = Math.Max(1, rng.Next(outputLow, outputHigh + 1));
            var target = prefix.Length + inputLength;
            var ids = prefix.Concat(RandomIds(rng, inputLength)).ToArray();
            var (text, actual) = DecodeToLength(rng, ids, target);
            LengthDrift += Math.Abs(actual - target);
            requests[i] = new BenchRequest(text, actual, outputLength);
        }

        return requests;
    }

    /// <summary>vLLM's bounds: floor(len·(1−r)) to ceil(len·(1+r)), never below 1.</summary>
    public static (int Low, int High) Range(int length, double ratio) =>
        (Math.Max(1, (int)Math.Floor(length * (1 - ratio))), Math.Max(1, (int)Math.Ceiling(length * (1 + ratio))));

    private (string Text, int Tokens) DecodeToLength(Random rng, int[] ids, int target)
    {
        var text = _tokenizer.Decode(ids);
        var encoded = _tokenizer.Encode(text);
        for (int attempt = 0; attempt < MaxCorrections && encoded.Length != target; attempt++)
        {
            ids = encoded.Length > target ? encoded[..target] : [.. encoded, .. RandomIds(rng, target - encoded.Length)];
            text = _tokenizer.Decode(ids);
            encoded = _tokenizer.Encode(text);
        }

        return (text, encoded.Length);
    }

    private int[] RandomIds(Random rng, int count)
    {
        var ids = new int[count];
        for (int i = 0; i < count; i++)
        {
            int id;
            do
                id = rng.Next(_tokenIdLimit);
            while (_excludedIds.Contains(id));
            ids[i] = id;
        }

        return ids;
    }
}
