using LlmBench.Benchmarks.Lockstep;
using LlmBench.Benchmarks.Workloads;

namespace LlmBench.Benchmarks.Tests.Lockstep;

/// <summary>The framework tables' varied prompts: --input-lens 128-512 draws each request's prompt length uniformly.</summary>
public class VariedInputTests
{
    [Fact]
    public void InputLengths_TakeValuesAndRanges_InOrder()
    {
        Assert.Equal([new(128, 128), new(128, 512)], SweepGrid.ParseInputLengths("--input-lens", "128, 128-512"));
        var grid = SweepGrid.Create([1, 4], SweepGrid.ParseInputLengths("--input-lens", "128,128-512"), [128]);
        Assert.Equal([new(1, 128, 128, 128), new(4, 128, 128, 128), new(1, 128, 128, 512), new(4, 128, 128, 512)], grid);
        Assert.Equal("128-512", grid[2].InputText);
        Assert.Equal(640, grid[2].LongestSequence);
    }

    [Theory]
    [InlineData("512-128")]
    [InlineData("128-128")]
    [InlineData("0-4")]
    [InlineData("1-2-3")]
    [InlineData("x")]
    public void BadRanges_AreOneSentence(string text) =>
        Assert.Equal($"--input-lens takes positive integers or ranges LOW-HIGH (LOW < HIGH) separated by commas, got '{text}'.",
            Assert.Throws<ArgumentException>(() => SweepGrid.ParseInputLengths("--input-lens", text)).Message);

    [Fact]
    public void AVariedBatch_DrawsEveryLengthInTheRange_FromTheSeed()
    {
        var shape = new SweepShape(256, 128, 16, 512);
        var requests = LockstepBatch.Requests(shape, vocabSize: 1000, seed: 5);

        Assert.Equal(256, requests.Count);
        Assert.All(requests, r => Assert.InRange(r.PromptIds.Length, 128, 512));
        Assert.All(requests, r => Assert.Equal(16, r.OutputTokens));
        Assert.All(requests, r => Assert.All(r.PromptIds, id => Assert.InRange(id, 0, 999)));
        Assert.True(requests.Select(r => r.PromptIds.Length).Distinct().Count() > 100, "lengths spread over the range");
        Assert.Equal(requests.Select(r => r.PromptIds), LockstepBatch.Requests(shape, 1000, 5).Select(r => r.PromptIds));
        Assert.True(requests.Average(r => r.PromptIds.Length) is > 280 and < 360, "mean near 320");
    }

    [Fact]
    public void DoesNotFit_CountsTheLongestPromptOfARange()
    {
        Assert.Equal("does not fit: a sequence is 640 tokens, the model length is 600", SweepGrid.DoesNotFit(new SweepShape(1, 128, 128, 512), 600, null, 16));
        Assert.Null(SweepGrid.DoesNotFit(new SweepShape(1, 128, 128, 512), 640, null, 16));
    }

    [Fact]
    public void AFixedRange_IsTheFixedWorkload()
    {
        var fixedLength = RandomWorkload.CreateRange(3, 64, 64, 8, seed: 2);
        Assert.All(fixedLength, r => Assert.Equal(64, r.PromptIds.Length));
    }
}
