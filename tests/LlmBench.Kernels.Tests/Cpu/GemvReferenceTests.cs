using LlmBench.Kernels.Tests.Reference;

namespace LlmBench.Kernels.Tests.Cpu;

public class GemvReferenceTests
{
    [Fact]
    public void Linear_IsEachTokenDottedWithEachWeightRow()
    {
        float[] x = [1, 2, 3, -1, 0.5f, 2]; // 2 tokens × 3
        float[] w = [1, 0, 0, 0, 1, 1, 2, -1, 0.25f, 0, 0, 0]; // 4 rows × 3
        Assert.Equal([1f, 5f, 0.75f, 0f, -1f, 2.5f, -2.0f, 0f], GemvReference.Linear(x, w, 2, 3, 4));
    }

    [Fact]
    public void Linear_RoundsTheExactSumOnce()
    {
        // 1 + 2^-8 + 2^-8 = 1 + 2^-7, the bf16 after 1; rounding term by term would stop at 1 (each 1 + 2^-8 is a tie).
        float[] x = [1, 1, 1];
        float[] w = [1, 1f / 256, 1f / 256];
        Assert.Equal([1f + 1f / 128], GemvReference.Linear(x, w, 1, 3, 1));
    }

    [Fact]
    public void SwiGlu_IsSiluMulOfTheRoundedGateAndUpProducts()
    {
        float[] x = [1, 2]; // 1 token × 2
        float[] w = [1, 1, -0.5f, 0, 0.25f, 0, 3, 1]; // gate rows [1 1], [-0.5 0]; up rows [0.25 0], [3 1]
        float[] gateUp = [3, -0.5f, 0.25f, 5]; // the same products, as the separate GEMM would write them
        Assert.Equal(SiluMulReference.Apply(gateUp, 2), GemvReference.SwiGlu(x, w, 1, 2, 2));
    }
}
