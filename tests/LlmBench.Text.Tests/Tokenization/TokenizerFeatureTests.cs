using static LlmBench.Text.Tests.Tokenization.SyntheticTokenizer;

namespace LlmBench.Text.Tests.Tokenization;

/// <summary>tokenizer.json features that Qwen3's file does not exercise, on a small synthetic tokenizer.</summary>
public class TokenizerFeatureTests
{
    [Fact]
    public void Merges_ApplyByRank()
    {
        Assert.Equal([Hell, 'o'], Create().Encode("hello"));
        Assert.Equal("hello", Create().Decode([Hell, 'o']));
    }

    [Fact]
    public void IgnoreMerges_TakesAWholeWordFromTheVocabulary()
    {
        Assert.Equal([Hello, ' ', 'x'], Create(ignoreMerges: true).Encode("hello x"));
        Assert.Equal([Hello], Create(ignoreMerges: true).Encode("hello"));
        Assert.Equal([Hell, 'o'], Create(ignoreMerges: false).Encode("hello"));
    }

    [Fact]
    public void AddedTokenWithLStripAndRStrip_SwallowsTheWhiteSpaceAroundIt()
    {
        var tokenizer = Create([Added(300, "<x>", lstrip: true, rstrip: true)]);
        Assert.Equal(['a', 300, 'b'], tokenizer.Encode("a  <x>  b"));
        Assert.Equal(['a', ' ', ' ', 300, ' ', ' ', 'b'], Create([Added(300, "<x>")]).Encode("a  <x>  b"));
    }

    [Fact]
    public void SingleWordAddedToken_MatchesOnlyAsAWholeWord()
    {
        var tokenizer = Create([Added(300, "he", singleWord: true)]);
        Assert.Equal([300], tokenizer.Encode("he"));
        Assert.DoesNotContain(300, tokenizer.Encode("hey"));
        Assert.DoesNotContain(300, tokenizer.Encode("the"));
    }

    [Fact]
    public void NormalizedAddedToken_MatchesAfterNfc()
    {
        var tokenizer = Create([Added(300, "\u00e9", normalized: true)]);
        Assert.Equal([300], tokenizer.Encode("e\u0301"));
        Assert.Equal([300], tokenizer.Encode("\u00e9"));
    }

    [Fact]
    public void LongestAddedToken_WinsAtTheSamePosition()
    {
        var tokenizer = Create([Added(300, "<a>"), Added(301, "<a><b>")]);
        Assert.Equal([301, 300], tokenizer.Encode("<a><b><a>"));
    }
}
