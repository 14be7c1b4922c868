using LlmBench.Gpu.Numerics;
using LlmBench.Kernels.Tests.Reference;

namespace LlmBench.Kernels.Tests.Cpu;

public class Bf16Tests
{
    [Theory]
    [InlineData(1.0 + 1.0 / 256, 1.0)]                      // tie → even mantissa (down)
    [InlineData(1.0 + 3.0 / 256, 1.0 + 4.0 / 256)]          // tie → even mantissa (up)
    [InlineData(1.0 + 1.0 / 256 + 1e-12, 1.0 + 2.0 / 256)]  // just above a tie: up, though (float)x is the tie itself
    [InlineData(-(1.0 + 3.0 / 256), -(1.0 + 4.0 / 256))]
    [InlineData(1.0e-3, 0.00099945068359375)]                // 0x3A83: an ordinary value rounds to its nearest
    public void Round_IsNearestEven_FromTheExactValue(double x, double expected) =>
        Assert.Equal((float)expected, Bf16.Round(x));

    [Fact]
    public void Round_AgreesWithTheGpuLibrarysConversion_OnFloats()
    {
        var random = new Random(3);
        for (var i = 0; i < 100_000; i++)
        {
            var f = BitConverter.UInt32BitsToSingle((uint)random.NextInt64(0, 1L << 32));
            if (float.IsNaN(f) || float.IsInfinity(f) || Math.Abs(f) > 3e38f)
                continue;
            Assert.Equal(BFloat16.FromSingle(f).ToSingle(), Bf16.Round(f));
        }
    }

    [Fact]
    public void Bits_RoundTrip_AndRefuseInexactValues()
    {
        Assert.Equal(0x3F80, Bf16.ToBits(1.0));
        Assert.Equal(1.0f, Bf16.FromBits(0x3F80));
        Assert.True(float.IsNaN(Bf16.FromBits(Bf16.NaNBits)));
        Assert.Throws<ArgumentException>(() => Bf16.FromFloatExact(1.0f + 1e-6f));
    }
}
