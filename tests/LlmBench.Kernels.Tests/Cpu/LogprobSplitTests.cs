namespace LlmBench.Kernels.Tests.Cpu;

/// <summary>How <see cref="LogprobKernel"/> cuts rows into chunks, and that its scratch holds every choice.</summary>
public class LogprobSplitTests
{
    [Theory]
    [InlineData(1, 32)]
    [InlineData(8, 32)]
    [InlineData(9, 29)]
    [InlineData(64, 4)]
    [InlineData(255, 2)]
    [InlineData(256, 1)]
    [InlineData(1024, 1)]
    public void Few_rows_get_more_chunks(int jobs, int splits) => Assert.Equal(splits, LogprobKernel.SplitsFor(jobs));

    [Fact]
    public void The_scratch_holds_the_chunks_of_every_step_size()
    {
        for (var jobs = 1; jobs <= 4096; jobs++)
        {
            long needed = (long)jobs * LogprobKernel.SplitsFor(jobs) * LogprobKernel.PartialLength;
            Assert.True(needed <= LogprobKernel.ScratchLength(jobs), $"{jobs} jobs need {needed} ints");
        }
    }
}
