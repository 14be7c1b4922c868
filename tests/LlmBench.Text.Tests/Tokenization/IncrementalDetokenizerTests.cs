using System.Text;
using LlmBench.Text.Tokenization;
using static LlmBench.Text.Tests.Tokenization.Qwen3Reference;

namespace LlmBench.Text.Tests.Tokenization;

public class IncrementalDetokenizerTests
{
    [Theory]
    [MemberData(nameof(CaseIndexes), MemberType = typeof(Qwen3Reference))]
    public void StreamedPieces_ConcatenateToTheFullDecode_AndNeverHoldHalfACharacter(int index)
    {
        ReferenceCase c = Instance.Cases[index];
        foreach (bool skip in new[] { false, true })
        {
            var detokenizer = Tokenizer.CreateStreamingDecoder(skip);
            var streamed = new StringBuilder();
            foreach (int id in c.Ids)
            {
                string piece = detokenizer.Push(id);
                Assert.DoesNotContain('\uFFFD', piece); // every reference text is valid Unicode
                Assert.False(piece.Length > 0 && char.IsHighSurrogate(piece[^1]), "a piece ends inside a surrogate pair");
                streamed.Append(piece);
            }

            Assert.Equal(string.Empty, detokenizer.Flush());
            Assert.Equal(skip ? c.DecodedSkipSpecial : c.Decoded, streamed.ToString());
            Assert.Equal(streamed.ToString(), detokenizer.Text);
        }
    }

    [Fact]
    public void TokenEndingMidCharacter_IsHeldUntilTheCharacterIsComplete()
    {
        // " 🍕" is three byte-level tokens: "Ġ" + F0 9F, then 8D, then 95.
        int[] ids = Tokenizer.Encode(" 🍕");
        Assert.Equal([11162, 235, 243], ids);
        var detokenizer = Tokenizer.CreateDetokenizer();
        Assert.Equal(" ", detokenizer.Push(ids[0]));
        Assert.Equal(string.Empty, detokenizer.Push(ids[1]));
        Assert.Equal("🍕", detokenizer.Push(ids[2]));
        Assert.Equal(" 🍕", detokenizer.Text);
    }

    [Fact]
    public void UnfinishedCharacter_ComesOutAsReplacementOnFlush_AsAFullDecodeShowsIt()
    {
        var detokenizer = Tokenizer.CreateStreamingDecoder();
        Assert.Equal(" ", detokenizer.Push(11162));
        Assert.Equal("\uFFFD", detokenizer.Flush());
        Assert.Equal(Tokenizer.Decode([11162]), detokenizer.Text);
    }

    [Fact]
    public void CharacterCutByAnotherToken_BecomesOneReplacement_AsInDecode()
    {
        int[] ids = [11162, 9707]; // F0 9F of an emoji, then "Hello"
        var detokenizer = Tokenizer.CreateStreamingDecoder();
        string streamed = string.Concat(ids.Select(detokenizer.Push));
        Assert.Equal(Tokenizer.Decode(ids), streamed);
        Assert.Equal(" \uFFFDHello", streamed);
    }

    [Fact]
    public void SpecialTokens_AreSkippedByDefault_AndKeptWhenAsked()
    {
        int[] ids = Tokenizer.Encode("Hi<|im_end|><think>");
        Assert.Equal("Hi<think>", string.Concat(ids.Select(Tokenizer.CreateDetokenizer().Push)));
        Assert.Equal("Hi<|im_end|><think>", string.Concat(ids.Select(Tokenizer.CreateDetokenizer(skipSpecialTokens: false).Push)));
    }

    [Fact]
    public void LongStream_CostsTimeProportionalToItsLength()
    {
        // Re-decoding the whole prefix on each Push would make 40,000 tokens take ~10^5 times one token's work.
        int[] ids = Tokenizer.Encode(string.Concat(Enumerable.Repeat("Grüße, 世界! 👩🏽‍💻 tokens\n", 2000)));
        var detokenizer = Tokenizer.CreateStreamingDecoder();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int chars = ids.Sum(id => detokenizer.Push(id).Length);
        clock.Stop();
        Assert.Equal(Tokenizer.Decode(ids).Length, chars);
        Assert.True(clock.ElapsedMilliseconds < 2000, $"streaming {ids.Length} tokens took {clock.ElapsedMilliseconds} ms");
    }
}
