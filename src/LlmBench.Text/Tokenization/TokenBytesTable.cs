namespace LlmBench.Text.Tokenization;

/// <summary>
/// The UTF-8 bytes each id stands for, in one flat array: decoding concatenates them, and streaming needs them
/// token by token (a byte-level token can hold part of a character). Ids with no entry decode to nothing, as in HF.
/// </summary>
internal sealed class TokenBytesTable
{
    private readonly byte[] _bytes;
    private readonly int[] _offsets; // id's bytes are _bytes[_offsets[id].._offsets[id + 1]]
    private readonly bool[] _special;

    public TokenBytesTable(IReadOnlyList<KeyValuePair<string, int>> vocabulary, IReadOnlyList<AddedToken> addedTokens)
    {
        int size = 1 + Math.Max(vocabulary.Max(p => p.Value), addedTokens.Count == 0 ? -1 : addedTokens.Max(t => t.Id));
        var perId = new byte[]?[size];
        foreach (var (token, id) in vocabulary)
        {
            perId[id] = ByteLevelAlphabet.ToBytes(token);
        }

        _special = new bool[size];
        foreach (AddedToken token in addedTokens)
        {
            perId[token.Id] = ByteLevelAlphabet.ToBytes(token.Content); // HF looks added tokens up first
            _special[token.Id] = token.Special;
        }

        _offsets = new int[size + 1];
        for (int id = 0; id < size; id++)
        {
            _offsets[id + 1] = _offsets[id] + (perId[id]?.Length ?? 0);
        }

        _bytes = new byte[_offsets[size]];
        for (int id = 0; id < size; id++)
        {
            perId[id]?.CopyTo(_bytes, _offsets[id]);
        }
    }

    /// <summary>One more than the highest id.</summary>
    public int Count => _special.Length;

    public bool IsSpecial(int id) => (uint)id < (uint)_special.Length && _special[id];

    /// <summary>The id's bytes; empty for an id outside the vocabulary, or a special one when skipping those.</summary>
    public ReadOnlySpan<byte> Get(int id, bool skipSpecialTokens) =>
        (uint)id >= (uint)_special.Length || (skipSpecialTokens && _special[id])
            ? default
            : _bytes.AsSpan(_offsets[id], _offsets[id + 1] - _offsets[id]);
}
