using LlmBench.Engine.Weights;

namespace LlmBench.Engine.Tests.Fp8;

public class Float8E4M3Tests
{
    [Fact]
    public void EveryCode_DecodesAsTheFormatDefinesIt()
    {
        var codes = Enumerable.Range(0, 256).Select(c => (byte)c).ToArray();
        var decoded = new float[256];
        DTypeConversions.WidenToFloat32(TensorDType.F8_E4M3, codes, decoded);
        foreach (var code in codes)
        {
            var expected = E4m3Reference.Value(code);
            Assert.Equal(decoded[code], Float8E4M3.ToSingle(code));
            if (double.IsNaN(expected))
                Assert.True(float.IsNaN(decoded[code]), $"code 0x{code:X2} must be NaN, got {decoded[code]}");
            else
                Assert.True((double)decoded[code] == expected && float.IsNegative(decoded[code]) == (code >= 0x80),
                    $"code 0x{code:X2}: expected {expected}, got {decoded[code]}");
        }
    }

    [Theory]
    [InlineData(0x7F)]
    [InlineData(0xFF)]
    public void OnlyTheAllOnesCodes_AreNaN(int code)
    {
        Assert.True(float.IsNaN(Float8E4M3.ToSingle((byte)code)));
        Assert.Equal(2, Enumerable.Range(0, 256).Count(c => float.IsNaN(Float8E4M3.ToSingle((byte)c))));
    }

    [Theory]
    [InlineData(0x7E, 448f)] // the largest finite value (e4m3fn has no infinity)
    [InlineData(0xFE, -448f)]
    [InlineData(0x38, 1f)]
    [InlineData(0x08, 0.015625f)] // the smallest normal, 2^-6
    [InlineData(0x07, 0.013671875f)] // the largest subnormal, 7 · 2^-9
    [InlineData(0x01, 0.001953125f)] // the smallest subnormal, 2^-9
    [InlineData(0x81, -0.001953125f)]
    [InlineData(0x00, 0f)]
    public void LandmarkCodes(int code, float value) => Assert.Equal(value, Float8E4M3.ToSingle((byte)code));

    [Fact]
    public void NegativeZero_KeepsItsSign() => Assert.True(float.IsNegative(Float8E4M3.ToSingle(0x80)) && Float8E4M3.ToSingle(0x80) == 0f);

    [Fact]
    public void TheTestsEncoder_RoundTripsEveryFiniteCode()
    {
        for (int code = 0; code < 256; code++)
        {
            if ((code & 0x7F) != 0x7F)
                Assert.Equal((byte)code, E4m3Reference.Encode(Float8E4M3.ToSingle((byte)code)));
        }
    }
}
