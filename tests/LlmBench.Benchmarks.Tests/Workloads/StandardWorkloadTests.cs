using LlmBench.Benchmarks.Workloads;

namespace LlmBench.Benchmarks.Tests.Workloads;

public class StandardWorkloadTests
{
    [Fact]
    public void Next_DrawsLengthsAndIdsInsideTheWorkloadsRanges_Reproducibly()
    {
        var a = new StandardWorkload(seed: 7);
        var b = new StandardWorkload(seed: 7);
        var lengths = new List<int>();
        for (int i = 0; i < 500; i++)
        {
            var r = a.Next();
            Assert.Equal(r.PromptIds, b.Next().PromptIds);
            Assert.InRange(r.PromptIds.Length, 100, 1024);
            Assert.InRange(r.OutputTokens, 100, 1024);
            Assert.All(r.PromptIds, id => Assert.InRange(id, 0, 10000));
            lengths.Add(r.OutputTokens);
        }

        // U[100, 1024] has mean 562; 500 draws land within a few percent of it.
        Assert.InRange(lengths.Average(), 530, 595);
    }

    [Fact]
    public void A_shorter_prompt_range_changes_prompts_only()
    {
        var standard = new StandardWorkload(seed: 3);
        var shortPrompts = new StandardWorkload(seed: 3, new LengthRange(10, 100));
        var prompts = new List<int>();
        for (int i = 0; i < 400; i++)
        {
            var s = standard.Next();
            var r = shortPrompts.Next();
            Assert.InRange(r.PromptIds.Length, 10, 100);
            Assert.InRange(r.OutputTokens, 100, 1024);
            prompts.Add(r.PromptIds.Length);
            _ = s;
        }

        Assert.InRange(prompts.Average(), 50, 60); // U[10, 100] has mean 55
        Assert.Equal(10, prompts.Min());
        Assert.Equal(100, prompts.Max());
    }

    [Theory]
    [InlineData("100-1024", 100, 1024)]
    [InlineData("10-100", 10, 100)]
    [InlineData(" 512 ", 512, 512)]
    public void LengthRange_parses_a_range_or_one_length(string text, int min, int max)
    {
        Assert.Equal(new LengthRange(min, max), LengthRange.Parse(text));
    }

    [Theory]
    [InlineData("0-10")]
    [InlineData("100-10")]
    [InlineData("1-2-3")]
    [InlineData("-5")]
    [InlineData("ten")]
    [InlineData("")]
    public void LengthRange_refuses_what_is_not_a_range(string text)
    {
        var ex = Assert.Throws<FormatException>(() => LengthRange.Parse(text));
        Assert.Contains("is not a length range", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DifferentSeeds_GiveDifferentStreams()
    {
        Assert.NotEqual(new StandardWorkload(1).Next().PromptIds, new StandardWorkload(2).Next().PromptIds);
    }
}
