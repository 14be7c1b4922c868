namespace LlmBench.Engine.Weights;

/// <summary>
/// Decoding of fp8 e4m3 codes ("fn": 1 sign, 4 exponent bits of bias 7, 3 mantissa bits; no infinities; 0x7F and 0xFF
/// are NaN; ±448 the largest finite values; codes with exponent 0 are subnormal, m · 2^-9). Every code is exact in fp32,
/// so decoding is a 256-entry table.
/// </summary>
public static class Float8E4M3
{
    /// <summary>The largest finite value.</summary>
    public const float MaxValue = 448f;

    private static readonly float[] Table = [.. Enumerable.Range(0, 256).Select(code => ToSingle((byte)code))];

    /// <summary>The value of one code, built from its bits (fp32 exponent = e - 7 + 127, mantissa bits moved up by 20).</summary>
    public static float ToSingle(byte code)
    {
        uint sign = (uint)(code & 0x80) << 24;
        int exponent = (code >> 3) & 0xF, mantissa = code & 0x7;
        if (exponent == 0xF && mantissa == 0x7)
            return BitConverter.UInt32BitsToSingle(sign | 0x7FC0_0000);
        if (exponent == 0)
            return BitConverter.UInt32BitsToSingle(sign | BitConverter.SingleToUInt32Bits(mantissa / 512f));
        return BitConverter.UInt32BitsToSingle(sign | ((uint)(exponent - 7 + 127) << 23) | ((uint)mantissa << 20));
    }

    /// <summary>Decodes <paramref name="codes"/> into <paramref name="destination"/> (unscaled).</summary>
    public static void Decode(ReadOnlySpan<byte> codes, Span<float> destination)
    {
        if (destination.Length < codes.Length)
            throw new ArgumentException("The destination is shorter than the source.", nameof(destination));
        var table = Table;
        for (int i = 0; i < codes.Length; i++)
            destination[i] = table[codes[i]];
    }
}
