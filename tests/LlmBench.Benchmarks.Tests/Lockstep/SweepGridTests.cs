using LlmBench.Benchmarks.Lockstep;

namespace LlmBench.Benchmarks.Tests.Lockstep;

public class SweepGridTests
{
    [Fact]
    public void Grid_RunsEveryBatchOfALengthPairTogether()
    {
        var grid = SweepGrid.Create([1, 2], [8, 16], [4]);
        Assert.Equal([new(1, 8, 4), new(2, 8, 4), new(1, 16, 4), new(2, 16, 4)], grid);
    }

    [Theory]
    [InlineData("", "--batch-sizes needs at least one positive integer, like 1,2,4.")]
    [InlineData("abc", "--batch-sizes takes positive integers separated by commas, got 'abc'.")]
    [InlineData("1,0", "--batch-sizes takes positive integers separated by commas, got '0'.")]
    [InlineData("-4", "--batch-sizes takes positive integers separated by commas, got '-4'.")]
    public void BadLists_AreOneSentence(string text, string message) =>
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => SweepGrid.ParseList("--batch-sizes", text)).Message);

    [Fact]
    public void DoesNotFit_CountsKvBlocksPerSequence_AndTheModelLength()
    {
        // (128 + 128) / 16 = 16 blocks a sequence: 64 sequences need 1024.
        Assert.Null(SweepGrid.DoesNotFit(new SweepShape(64, 128, 128), 4096, kvBlocks: 1024, blockSize: 16));
        Assert.Equal("does not fit: needs 1040 KV blocks, the cache has 1024", SweepGrid.DoesNotFit(new SweepShape(65, 128, 128), 4096, 1024, 16));
        // 129 + 128 tokens round up to 17 blocks.
        Assert.Equal("does not fit: needs 1088 KV blocks, the cache has 1024", SweepGrid.DoesNotFit(new SweepShape(64, 129, 128), 4096, 1024, 16));
        Assert.Equal("does not fit: a sequence is 8320 tokens, the model length is 4096", SweepGrid.DoesNotFit(new SweepShape(1, 8192, 128), 4096, 1024, 16));
    }
}
