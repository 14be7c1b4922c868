using LlmBench.Text.Tokenization;

namespace LlmBench.LoadGen.Datasets;

/// <summary>
/// Text made of random token ids of a tokenizer's ordinary vocabulary (EOS ids excluded), corrected for
/// re-tokenization drift as vLLM corrects it: decoding random ids and encoding the text again rarely gives the same
/// ids (BPE merges across the joins), so the text is encoded, cut to the target when too long or extended with fresh
/// random ids when too short, decoded again, and so on, at most <see cref="MaxCorrections"/> times.
/// </summary>
public sealed class RandomTokenText
{
    public const int MaxCorrections = 10;

    private readonly ITextTokenizer _tokenizer;
    private readonly int _tokenIdLimit;
    private readonly HashSet<int> _excludedIds;

    /// <param name="tokenIdLimit">Ids are drawn from [0, tokenIdLimit): the ordinary vocabulary, below the special tokens.</param>
    public RandomTokenText(ITextTokenizer tokenizer, int tokenIdLimit)
    {
        if (tokenIdLimit < 2)
            throw new ArgumentOutOfRangeException(nameof(tokenIdLimit), tokenIdLimit, "The vocabulary needs at least two ordinary tokens.");
        _tokenizer = tokenizer;
        _tokenIdLimit = tokenIdLimit;
        _excludedIds = [.. tokenizer.EosTokenIds.Where(id => id >= 0 && id < tokenIdLimit)];
        if (_excludedIds.Count >= tokenIdLimit)
            throw new ArgumentException($"Every id below {tokenIdLimit} is an end-of-sequence id: there is nothing to draw prompts from.");
    }

    public ITextTokenizer Tokenizer => _tokenizer;

    /// <summary><paramref name="count"/> random ordinary ids.</summary>
    public int[] Ids(Random rng, int count)
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

    /// <summary>Random ids whose decoded text encodes back to <paramref name="target"/> ids where the corrections converge.</summary>
    public int[] IdsOfLength(Random rng, int target) => Correct(rng, Ids(rng, target), target).Ids;

    /// <summary>The text of <paramref name="ids"/>, corrected towards <paramref name="target"/> tokens, and its real token count.</summary>
    public (string Text, int Tokens) DecodeToLength(Random rng, int[] ids, int target)
    {
        var (_, text, tokens) = Correct(rng, ids, target);
        return (text, tokens);
    }

    private (int[] Ids, string Text, int Tokens) Correct(Random rng, int[] ids, int target)
    {
        var text = _tokenizer.Decode(ids);
        var encoded = _tokenizer.Encode(text);
        for (int attempt = 0; attempt < MaxCorrections && encoded.Length != target; attempt++)
        {
            ids = encoded.Length > target ? encoded[..target] : [.. encoded, .. Ids(rng, target - encoded.Length)];
            text = _tokenizer.Decode(ids);
            encoded = _tokenizer.Encode(text);
        }

        return (encoded.Length == target ? encoded : ids, text, encoded.Length);
    }
}
