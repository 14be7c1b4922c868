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
    public void Float8E4M3_RoundTripsEveryCode()
    {
        for (var bits = 0; bits < 256; bits++)
        {
            var value = new Float8E4M3((byte)bits).ToSingle();
            if (!float.IsNaN(value))
                Assert.Equal((byte)bits, Float8E4M3.FromSingle(value).Bits);
        }
    }

    /// <summary>Against a brute-force nearest-code search (ties to the even code), over values between and beyond the codes.</summary>
    [Fact]
    public void Float8E4M3_RoundsToTheNearestCodeTiesToEven_AndSaturates()
    {
        var finite = Enumerable.Range(0, 0x7F).Select(b => (Bits: (byte)b, Value: new Float8E4M3((byte)b).ToSingle())).ToArray();
        var random = new Random(11);
        var probes = new List<float> { 0f, 1e-6f, 1f / 1024, 3f / 1024, 1f / 64 - 1f / 2048, 1.0625f, 1.1875f, 447f, 448f, 455.99f, 464f, 479f, 500f, 1e9f, float.PositiveInfinity };
        probes.AddRange(finite.Zip(finite.Skip(1), (a, b) => (a.Value + b.Value) / 2)); // every midpoint: the tie cases
        for (var i = 0; i < 5000; i++)
            probes.Add((float)Math.Exp(random.NextDouble() * 16 - 10));
        foreach (var p in probes.SelectMany(p => new[] { p, -p }))
        {
            var magnitude = MathF.Abs(p);
            var nearest = magnitude >= 448f ? finite[^1] : finite.MinBy(c => (Math.Abs(c.Value - magnitude), c.Bits & 1));
            var expected = (byte)(nearest.Bits | (float.IsNegative(p) ? 0x80 : 0));
            Assert.True(expected == Float8E4M3.FromSingle(p).Bits, $"{p}: expected 0x{expected:X2}, got 0x{Float8E4M3.FromSingle(p).Bits:X2}");
        }
        Assert.True(float.IsNaN(new Float8E4M3(Float8E4M3.FromSingle(float.NaN).Bits).ToSingle()));
    }

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
