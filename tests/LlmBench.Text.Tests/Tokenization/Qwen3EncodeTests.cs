using LlmBench.Text.Tokenization;
using static LlmBench.Text.Tests.Tokenization.Qwen3Reference;

namespace LlmBench.Text.Tests.Tokenization;

/// <summary>The built-in Qwen3 tokenizer against ids from HF tokenizers, case by case.</summary>
public class Qwen3EncodeTests
{
    private static readonly Lazy<IsolatedSplitPreTokenizer> PreTokenizer = new(() =>
    {
        var definition = TokenizerJsonReader.Read(EmbeddedResources.ReadAllBytes(EmbeddedResources.Qwen3TokenizerJson), "qwen3");
        return new IsolatedSplitPreTokenizer(definition.SplitPattern);
    });

    [Theory]
    [MemberData(nameof(CaseIndexes), MemberType = typeof(Qwen3Reference))]
    public void Encode_EqualsHfTokenizers(int index)
    {
        ReferenceCase c = Instance.Cases[index];
        Assert.Equal(c.Ids, Tokenizer.Encode(c.Text));
    }

    [Theory]
    [MemberData(nameof(CaseIndexes), MemberType = typeof(Qwen3Reference))]
    public void Decode_EqualsHfDecode_WithAndWithoutSpecialTokens(int index)
    {
        ReferenceCase c = Instance.Cases[index];
        Assert.Equal(c.Decoded, Tokenizer.Decode(c.Ids));
        Assert.Equal(c.DecodedSkipSpecial, Tokenizer.Decode(c.Ids, skipSpecialTokens: true));
    }

    [Theory]
    [MemberData(nameof(CaseIndexes), MemberType = typeof(Qwen3Reference))]
    public void Nfc_EqualsHfNormalizer(int index)
    {
        ReferenceCase c = Instance.Cases[index];
        Assert.Equal(c.Normalized, NfcNormalizer.Nfc(c.Text));
    }

    [Theory]
    [MemberData(nameof(CaseIndexes), MemberType = typeof(Qwen3Reference))]
    public void PreTokenizer_SplitsAsHf(int index)
    {
        // The pre-tokenizer alone, on the normalized text (HF's pre_tokenize_str does not split added tokens).
        ReferenceCase c = Instance.Cases[index];
        var pieces = PreTokenizer.Value.PreTokenize(c.Normalized)
            .Select(p => ByteLevelAlphabet.ToAlphabet(c.Normalized.Substring(p.Offset, p.Length)));
        Assert.Equal(c.PreTokens, pieces);
    }

    [Theory]
    [MemberData(nameof(SingleTokenCaseIndexes), MemberType = typeof(Qwen3Reference))]
    public void SingleTokens_DecodeAsHf_IncludingPartialCharacters(int index)
    {
        ReferenceCase c = Instance.Cases[index];
        Assert.Equal(c.SingleTokenDecodes!, c.Ids.Select(id => Tokenizer.Decode([id])));
    }

    [Fact]
    public void VocabularyAndSpecialIds_AreQwen3s()
    {
        Assert.Equal(Instance.VocabSizeWithAdded, Tokenizer.VocabSize);
        Assert.Equal(TokenizerLoader.Qwen3VocabSize, Tokenizer.VocabSize);
        Assert.Equal(Instance.AddedTokens.Count, Tokenizer.AddedTokens.Count);
        foreach (var (content, id) in Instance.AddedTokens)
        {
            Assert.Equal(id, Tokenizer.TokenToId(content));
        }

        Assert.Equal(Instance.Chat.EosTokenId, Tokenizer.EosTokenId);
        Assert.Equal(Instance.Chat.PadTokenId, Tokenizer.PadTokenId);
        Assert.Equal([151645, 151643], Tokenizer.EosTokenIds);
        Assert.Null(Tokenizer.BosTokenId);
        Assert.False(Tokenizer.AddBosToken);
        Assert.True(Tokenizer.IsSpecial(151645));
        Assert.False(Tokenizer.IsSpecial(151667)); // <think> is an added token but not a special one
    }

    [Fact]
    public void Decode_IgnoresIdsOutsideTheVocabulary()
    {
        // Qwen3's embedding has 151,936 rows, so a sampler can pick an id the tokenizer does not know; HF drops it.
        Assert.Equal("Hello", Tokenizer.Decode([9707, 151_700, -1]));
    }

    [Fact]
    public void Encode_ReplacesLoneSurrogatesAsUtf8Would()
    {
        Assert.Equal(Tokenizer.Encode("a\uFFFDb"), Tokenizer.Encode("a\uD800b"));
        Assert.Equal(Tokenizer.Encode("\uFFFD"), Tokenizer.Encode("\uDC00"));
    }
}
