using LlmBench.Engine.Weights;

namespace LlmBench.Engine.Tests.Formats;

public class SafetensorsDTypeConversionTests
{
    [Fact]
    public void Bf16Widening_IsExactForAllBitPatterns()
    {
        var patterns = Enumerable.Range(0, 65536).Select(i => (ushort)i).ToArray();
        var widened = new float[patterns.Length];

        DTypeConversions.BFloat16ToFloat32(patterns, widened);

        for (var i = 0; i < patterns.Length; i++)
            Assert.Equal((uint)patterns[i] << 16, BitConverter.SingleToUInt32Bits(widened[i]));
    }

    [Theory]
    [InlineData(1.0f, (ushort)0x3F80)]
    [InlineData(-2.5f, (ushort)0xC020)]
    [InlineData(float.PositiveInfinity, (ushort)0x7F80)]
    public void Bf16Rounding_KeepsExactValues(float value, ushort expected)
    {
        var output = new ushort[1];
        DTypeConversions.Float32ToBFloat16([value], output);
        Assert.Equal(expected, output[0]);
    }

    [Fact]
    public void Bf16Rounding_IsToNearestEven_VectorAndScalarPathsAgree()
    {
        // 0x3F808000 is halfway between 0x3F80 and 0x3F81: ties go to the even one (0x3F80);
        // 0x3F818000 is halfway between 0x3F81 and 0x3F82: ties go to 0x3F82.
        uint[] bits = [0x3F80_8000, 0x3F81_8000, 0x3F80_8001, 0x3F80_7FFF, 0x7FC0_0001, 0xFF80_0001];
        ushort[] expected = [0x3F80, 0x3F82, 0x3F81, 0x3F80];
        var values = Enumerable.Range(0, 67).Select(i => BitConverter.UInt32BitsToSingle(bits[i % bits.Length])).ToArray();
        var output = new ushort[values.Length];

        DTypeConversions.Float32ToBFloat16(values, output);

        for (var i = 0; i < values.Length; i++)
        {
            if (i % bits.Length < expected.Length)
                Assert.Equal(expected[i % bits.Length], output[i]);
            else
                Assert.True(float.IsNaN(BitConverter.UInt32BitsToSingle((uint)output[i] << 16)), $"NaN stays NaN at {i}");
        }
    }

    [Fact]
    public void F16Widening_MatchesHalfCasts()
    {
        var halves = Enumerable.Range(0, 1000).Select(i => (Half)((i - 500) * 0.37f)).ToArray();
        var bytes = halves.SelectMany(h => BitConverter.GetBytes(h)).ToArray();
        var widened = new float[halves.Length];

        DTypeConversions.WidenToFloat32(TensorDType.F16, bytes, widened);

        Assert.Equal(halves.Select(h => (float)h), widened);
    }
}
