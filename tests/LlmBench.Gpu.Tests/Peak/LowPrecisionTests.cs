using LlmBench.Gpu.Blas;
using LlmBench.Gpu.Numerics;

namespace LlmBench.Gpu.Tests.Peak;

public class LowPrecisionTests
{
    [Theory]
    [InlineData(1.0f, 0x3F80)]
    [InlineData(-2.0f, 0xC000)]
    [InlineData(1.00390625f, 0x3F80)] // halfway between 1 and the next bf16: rounds to even (down)
    [InlineData(1.01171875f, 0x3F82)] // halfway between 0x3F81 and 0x3F82: rounds to even (up)
    public void BFloat16_RoundsToNearestEven(float value, int bits) => Assert.Equal((ushort)bits, BFloat16.FromSingle(value).Bits);

    [Fact]
    public void BFloat16_RoundTripsWithinHalfAnUlp()
    {
        var random = new Random(7);
        for (var i = 0; i < 1000; i++)
        {
            var value = (float)(random.NextDouble() * 200 - 100);
            var back = BFloat16.FromSingle(value).ToSingle();
            Assert.True(MathF.Abs(back - value) <= MathF.Abs(value) / 256f, $"{value} -> {back}");
        }
    }

    [Theory]
    [InlineData(0x38, 1.0f)]
    [InlineData(0xB8, -1.0f)]
    [InlineData(0x7E, 448.0f)]
    [InlineData(0x01, 0.001953125f)] // smallest subnormal, 2^-9
    [InlineData(0x3C, 1.5f)]
    public void Float8E4M3_Decodes(int bits, float value) => Assert.Equal(value, new Float8E4M3((byte)bits).ToSingle());

    [Fact]
    public void Float8E4M3_HasNaNButNoInfinity() => Assert.True(float.IsNaN(new Float8E4M3(0x7F).ToSingle()));

    [Fact]
    public void GemmDataTypes_ParseAndDescribe()
    {
        Assert.Equal(GemmDataType.Fp8E4M3, GemmDataTypeExtensions.Parse(" FP8 "));
        Assert.Equal("bf16", GemmDataType.Bf16.DisplayName());
        Assert.Throws<ArgumentException>(() => GemmDataTypeExtensions.Parse("int4"));
        Assert.Equal(new GemmShape(4096, 7, 1024), GemmShape.ForLinear(tokens: 7, inFeatures: 1024, outFeatures: 4096));
    }
}
