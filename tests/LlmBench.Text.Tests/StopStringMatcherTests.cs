namespace LlmBench.Text.Tests;

public class StopStringMatcherTests
{
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

    [Fact]
    public void TheEarliestStop_Wins_WhenOnePieceCompletesSeveral()
    {
        var matcher = new StopStringMatcher(["long stop", "op"]);
        Assert.Equal("a ", matcher.Append("a long st", 1)); // "long st" may become "long stop"
        Assert.Equal("", matcher.Append("op", 2));
        Assert.True(matcher.Stopped);
        Assert.Equal("a ", matcher.Text);
    }

    [Fact]
    public void AStopSpreadOverManySmallPieces_IsFound()
    {
        var matcher = new StopStringMatcher(["<|stop|>"]);
        string shown = "";
        int tokens = 0;
        foreach (char c in "text <|sto and more <|stop|> after")
            shown += matcher.Append(c.ToString(), ++tokens);
        Assert.True(matcher.Stopped);
        Assert.Equal("text <|sto and more ", shown);
    }

    [Fact]
    public void AHeldBackTail_NeverEndsInHalfASurrogatePair()
    {
        var matcher = new StopStringMatcher(["\uDE00!"]);
        // "😀" is D83D DE00: the tail that may begin the stop is its low half, so its high half waits too.
        Assert.Equal("a", matcher.Append("a\U0001F600", 1));
        Assert.Equal("\U0001F600?", matcher.Append("?", 2));
    }

    [Fact]
    public void ALongGeneration_FindsAStopAtTheEnd()
    {
        var matcher = new StopStringMatcher(["END", "xyz"]);
        var shown = new System.Text.StringBuilder();
        for (int i = 1; i <= 20_000; i++)
            shown.Append(matcher.Append("word ", i));
        shown.Append(matcher.Append("EN", 20_001)).Append(matcher.Append("D tail", 20_002));
        Assert.True(matcher.Stopped);
        Assert.Equal(20_000 * 5, shown.Length);
        Assert.Equal(shown.ToString(), matcher.Text);
    }
}
