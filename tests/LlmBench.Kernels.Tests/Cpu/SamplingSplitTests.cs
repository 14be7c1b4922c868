namespace LlmBench.Kernels.Tests.Cpu;

/// <summary>How <see cref="SamplingKernel.SampleSplit"/> cuts rows into chunks, and that its scratch holds every choice.</summary>
public class SamplingSplitTests
{
    [Theory]
    [InlineData(1, 132, 32)]
    [InlineData(8, 132, 32)]
    [InlineData(9, 132, 30)]
    [InlineData(64, 132, 5)]
    [InlineData(264, 132, 1)]
    [InlineData(1024, 132, 1)]
    [InlineData(1, 1, 2)]
    public void Few_rows_get_more_chunks(int rows, int multiprocessors, int chunks) =>
        Assert.Equal(chunks, SamplingKernel.ChunksFor(rows, multiprocessors));

    [Fact]
    public void The_partials_hold_the_chunks_of_every_step_size()
    {
        foreach (var sms in new[] { 1, 78, 132, 144 })
        {
            for (var rows = 1; rows <= 1024; rows++)
                Assert.True((long)rows * SamplingKernel.ChunksFor(rows, sms) <= SamplingKernel.PartialLength(rows), $"{rows} rows on {sms} SMs");
        }
    }
}
