using LlmBench.Kernels.Tests.Reference;
using LlmBench.Kernels.Tests.Support;

namespace LlmBench.Kernels.Tests.Cpu;

public class ElementwiseReferenceTests
{
    [Fact]
    public void RmsNorm_WithUnitWeight_GivesRowsOfUnitRms()
    {
        var data = new SeededData(2);
        const int hidden = 256;
        var h = data.Bf16Values(3 * hidden, scale: 7.0);
        var weight = Enumerable.Repeat(1f, hidden).ToArray();
        var output = RmsNormReference.Normalize(h, weight, 1e-6);
        for (var r = 0; r < 3; r++)
        {
            var rms = Math.Sqrt(output.Skip(r * hidden).Take(hidden).Sum(v => (double)v * v) / hidden);
            Assert.InRange(rms, 0.995, 1.005);
        }
        Assert.Equal(output.AsSpan(2 * hidden, hidden).ToArray(), RmsNormReference.Normalize(h, weight, 1e-6, [2]));
    }

    [Fact]
    public void ResidualAdd_RoundsTheExactSumOnce()
    {
        float[] residual = [1f, 256f];
        float[] x = [1f / 256, 1f];
        Assert.Equal([1f, 256f], RmsNormReference.AddResidual(residual, x)); // both ties round to even
        Assert.Equal(residual, RmsNormReference.AddResidual(residual, null));
    }

    [Fact]
    public void SiluMul_FollowsSilusShape()
    {
        Assert.Equal(0.0, SiluMulReference.Silu(0));
        Assert.Equal(20.0, SiluMulReference.Silu(20), 6);
        Assert.InRange(SiluMulReference.Silu(-20), -1e-7, 0);
        float[] gateUp = [0f, 2f, -1f, 1f, 3f, 0.5f];
        Assert.Equal([0f, Bf16.Round(Bf16.Round(SiluMulReference.Silu(2)) * 3.0), Bf16.Round(Bf16.Round(SiluMulReference.Silu(-1)) * 0.5)],
            SiluMulReference.Apply(gateUp, 3));
    }

    [Fact]
    public void Embedding_GivesZeroRowsForIdsOutsideTheTable()
    {
        float[] table = [1, 2, 3, 4, 5, 6];
        Assert.Equal([5f, 6f, 0f, 0f, 1f, 2f, 0f, 0f], EmbeddingReference.Gather([2, 3, 0, -1], table, 2));
    }

    [Fact]
    public void MaskTokens_BansOnlyIdsInsideTheVocabulary_OnTheirOwnRow()
    {
        float[] logits = [1, 2, 3, 4, 5, 6];
        var masked = UtilReference.MaskTokens(logits, vocab: 3, rows: [1, 0, 1, 0], ids: [0, 3, 2, -1]);
        Assert.Equal([1, 2, 3, float.NegativeInfinity, 5, float.NegativeInfinity], masked);
        Assert.Equal([1f, 2, 3, 4, 5, 6], logits);
    }

    [Fact]
    public void AdvanceTokens_OnlyOverwritesIdsWithASourceRow() =>
        Assert.Equal([7, 11, 9], UtilReference.AdvanceTokens([9, 7], [1, -1, 0], [0, 11, 0]));
}
