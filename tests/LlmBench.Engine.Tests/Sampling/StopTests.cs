using LlmBench.Engine.Api;
using LlmBench.Engine.Sampling;
using LlmBench.Engine.Scheduling;

namespace LlmBench.Engine.Tests.Sampling;

public class StopTests
{
    private const int Eos = 99;
    private static readonly StopChecker Checker = new([Eos]);

    private static FinishReason? After(SamplingParams sampling, int maxModelLen, params int[] outputs)
    {
        var sequence = new Sequence("r", [1, 2, 3], sampling, 0, maxModelLen);
        sequence.NumComputedTokens = 3;
        FinishReason? reason = null;
        foreach (int token in outputs)
        {
            sequence.AppendOutput(token);
            sequence.NumComputedTokens = sequence.NumTokens;
            reason = Checker.Check(sequence);
        }
        return reason;
    }

    [Fact]
    public void Eos_Stops_UnlessIgnored()
    {
        Assert.Equal(FinishReason.Stop, After(SamplingParams.Greedy(10), 100, 5, Eos));
        Assert.Null(After(SamplingParams.Greedy(10, ignoreEos: true), 100, 5, Eos));
        Assert.Null(After(SamplingParams.Greedy(10), 100, 5, 6));
    }

    [Fact]
    public void StopTokenIds_Stop_EvenWithIgnoreEos()
    {
        var sampling = SamplingParams.Greedy(10, ignoreEos: true) with { StopTokenIds = [42] };
        Assert.Equal(FinishReason.Stop, After(sampling, 100, 5, 42));
    }

    [Fact]
    public void MaxTokensAndModelLength_EndWithLength()
    {
        Assert.Equal(FinishReason.Length, After(SamplingParams.Greedy(3), 100, 5, 6, 7));
        Assert.Null(After(SamplingParams.Greedy(3), 100, 5, 6));
        Assert.Equal(FinishReason.Length, After(SamplingParams.Greedy(50), 6, 5, 6, 7)); // 3 prompt + 3 outputs
        Assert.Equal(FinishReason.Stop, After(SamplingParams.Greedy(2), 100, 5, Eos)); // EOS on the last token is a stop
    }

    [Fact]
    public void MinTokens_SuppressesStops_AndBansTheirIds()
    {
        var sampling = SamplingParams.Greedy(10) with { MinTokens = 3, StopTokenIds = [42] };
        Assert.Null(After(sampling, 100, Eos, 42));
        Assert.Equal(FinishReason.Stop, After(sampling, 100, 1, 2, Eos));
        Assert.Equal([42, Eos], Checker.StopIdsFor(sampling));
        Assert.Equal([42], Checker.StopIdsFor(sampling with { IgnoreEos = true }));
        Assert.Empty(Checker.StopIdsFor(sampling with { MinTokens = 0 }));
    }

    [Fact]
    public void StopString_SplitAcrossPieces_IsFound_AndCutFromTheText()
    {
        var matcher = new StopStringMatcher(["</end>", "STOP"]);
        var shown = matcher.Append("Hello wor", 1) + matcher.Append("ld</e", 2);
        Assert.False(matcher.Stopped);
        Assert.Equal("Hello world", shown); // "</e" is held back: it may become a stop string
        shown += matcher.Append("nd> and more", 3);

        Assert.True(matcher.Stopped);
        Assert.Equal("Hello world", shown);
        Assert.Equal("Hello world", matcher.Text);
        Assert.Equal("", matcher.Append("later", 4));
    }

    [Fact]
    public void HeldBackText_IsReleasedWhenItCannotBeAStop_OrOnFlush()
    {
        var matcher = new StopStringMatcher(["abc"]);
        Assert.Equal("x", matcher.Append("xab", 1));
        Assert.Equal("abd", matcher.Append("d", 2));
        Assert.Equal("", matcher.Append("ab", 3));
        Assert.Equal("ab", matcher.Flush());
        Assert.False(matcher.Stopped);
    }

    [Fact]
    public void StopStrings_AreIgnoredBeforeMinTokens()
    {
        var matcher = new StopStringMatcher(["!"], minTokens: 2);
        Assert.Equal("hi!", matcher.Append("hi!", 1) + matcher.Flush());
        var later = new StopStringMatcher(["!"], minTokens: 2);
        Assert.Equal("hi", later.Append("hi", 1) + later.Append("!", 2));
        Assert.True(later.Stopped);
        // A stop that appeared before min_tokens does not fire afterwards either.
        var early = new StopStringMatcher(["ab", "xyz"], minTokens: 2);
        string shown = early.Append("zab", 1) + early.Append("c", 2);
        Assert.Equal("zabc", shown);
        Assert.False(early.Stopped);
    }

    [Fact]
    public void WithoutStopStrings_EverythingIsShownAtOnce()
    {
        var matcher = new StopStringMatcher([]);
        Assert.Equal("abc", matcher.Append("abc", 1));
        Assert.False(matcher.Stopped);
    }
}
