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
    public void DifferentSeeds_GiveDifferentStreams()
    {
        Assert.NotEqual(new StandardWorkload(1).Next().PromptIds, new StandardWorkload(2).Next().PromptIds);
    }
}
