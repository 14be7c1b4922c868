using LlmBench.Benchmarks.Workloads;

namespace LlmBench.Benchmarks.Tests.Workloads;

public class RandomWorkloadTests
{
    [Fact]
    public void ZeroRatio_GivesExactLengths_AndTheSameIdsForTheSameSeed()
    {
        var a = RandomWorkload.Create(5, 128, 64, 0, seed: 3);
        var b = RandomWorkload.Create(5, 128, 64, 0, seed: 3);
        Assert.All(a, r => Assert.Equal((128, 64), (r.PromptIds.Length, r.OutputTokens)));
        Assert.Equal(a.SelectMany(r => r.PromptIds), b.SelectMany(r => r.PromptIds));
        Assert.NotEqual(a[0].PromptIds, a[1].PromptIds);
    }

    [Fact]
    public void Ratio_SpreadsLengthsInsideTheRange()
    {
        var requests = RandomWorkload.Create(200, 100, 50, 0.5, seed: 1);
        Assert.All(requests, r => Assert.InRange(r.PromptIds.Length, 50, 150));
        Assert.All(requests, r => Assert.InRange(r.OutputTokens, 25, 75));
        Assert.True(requests.Select(r => r.PromptIds.Length).Distinct().Count() > 20);
    }

    [Theory]
    [InlineData(0, 10, 10, 0.0, "--num-prompts must be at least 1")]
    [InlineData(1, 10, 10, 1.0, "--random-range-ratio must be in [0, 1)")]
    public void BadValues_AreOneSentence(int n, int input, int output, double ratio, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => RandomWorkload.Create(n, input, output, ratio, 0));
        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_FoldsIdsIntoASmallVocabulary_AndClipsToTheModelLength()
    {
        var fit = new WorkloadFit(vocabSize: 1000, maxModelLength: 100);
        var fitted = fit.Apply([new WorkloadRequest([5, 1500, 999], 200), new WorkloadRequest(Enumerable.Range(0, 150).ToArray(), 10), new WorkloadRequest([1, 2], 3)]);
        Assert.Equal([5, 500, 999], fitted[0].PromptIds);
        Assert.Equal(97, fitted[0].OutputTokens);
        Assert.Equal(99, fitted[1].PromptIds.Length);
        Assert.Equal(1, fitted[1].OutputTokens);
        Assert.Equal((2, 3), (fitted[2].PromptIds.Length, fitted[2].OutputTokens));
        Assert.Equal(1, fit.FoldedRequests);
        Assert.Equal(2, fit.ClippedRequests);
    }
}
