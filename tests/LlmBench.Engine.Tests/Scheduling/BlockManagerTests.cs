using LlmBench.Engine.Api;
using LlmBench.Engine.Scheduling;

namespace LlmBench.Engine.Tests.Scheduling;

public class BlockManagerTests
{
    private static Sequence Seq(string id) => new(id, [1, 2, 3], SamplingParams.Greedy(8), 0, 64);

    [Fact]
    public void TryCover_AllocatesWholeBlocksForTheTokensAndTracksUsage()
    {
        var blocks = new BlockManager(numBlocks: 8, blockSize: 4);
        var a = Seq("a");

        Assert.True(blocks.TryCover(a, 5));
        Assert.Equal(2, a.BlockTable.Count);
        Assert.True(blocks.TryCover(a, 8)); // still two blocks
        Assert.Equal(2, a.BlockTable.Count);
        Assert.True(blocks.TryCover(a, 9));
        Assert.Equal(3, a.BlockTable.Count);
        Assert.Equal(3.0 / 8, blocks.Usage);
        Assert.Equal(5, blocks.NumFreeBlocks);
        Assert.Equal(3, a.BlockTable.Distinct().Count());
    }

    [Fact]
    public void TryCover_ChangesNothingWhenTooFewBlocksAreFree()
    {
        var blocks = new BlockManager(numBlocks: 3, blockSize: 4);
        var a = Seq("a");
        var b = Seq("b");
        Assert.True(blocks.TryCover(a, 8));

        Assert.False(blocks.TryCover(b, 9));
        Assert.Empty(b.BlockTable);
        Assert.Equal(1, blocks.NumFreeBlocks);
        Assert.False(blocks.CanCover(b, 5));
        Assert.True(blocks.CanCover(b, 4));
    }

    [Fact]
    public void Free_ReturnsEveryBlock_AndTheyAreReusedFirst()
    {
        var blocks = new BlockManager(numBlocks: 6, blockSize: 2);
        var a = Seq("a");
        var b = Seq("b");
        Assert.True(blocks.TryCover(a, 6));
        var freed = a.BlockTable.ToArray();

        blocks.Free(a);

        Assert.Empty(a.BlockTable);
        Assert.Equal(0, blocks.Usage);
        Assert.True(blocks.TryCover(b, 6));
        Assert.Equal(freed, b.BlockTable); // LIFO: the warm blocks come back, in the same order
    }

    [Fact]
    public void Blocks_AreNeverHandedToTwoSequences()
    {
        var blocks = new BlockManager(numBlocks: 10, blockSize: 3);
        var sequences = Enumerable.Range(0, 5).Select(i => Seq($"s{i}")).ToArray();
        foreach (var s in sequences)
            Assert.True(blocks.TryCover(s, 6));
        blocks.Free(sequences[1]);
        blocks.Free(sequences[3]);
        Assert.True(blocks.TryCover(sequences[0], 12));

        var owned = sequences.SelectMany(s => s.BlockTable).ToArray();
        Assert.Equal(owned.Length, owned.Distinct().Count());
        Assert.Equal(owned.Length, blocks.NumUsedBlocks);
    }
}
