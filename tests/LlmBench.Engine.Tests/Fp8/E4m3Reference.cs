namespace LlmBench.Engine.Tests.Fp8;

/// <summary>
/// fp8 e4m3 written from the format's definition in double arithmetic, independently of the engine's decoder: value
/// (-1)^s · 2^(e-7) · (1 + m/8) for e &gt; 0, (-1)^s · 2^-6 · m/8 for e = 0, NaN for s.1111.111; and an encoder that
/// picks the nearest finite code by search (ties to the even code, saturating at ±448), as checkpoint makers round.
/// </summary>
internal static class E4m3Reference
{
    /// <summary>The 127 non-negative finite codes' values, in code order (which is value order).</summary>
    private static readonly double[] Positive = [.. Enumerable.Range(0, 0x7F).Select(c => Value((byte)c))];

    public static double Value(byte code)
    {
        int sign = code >> 7, exponent = (code >> 3) & 0xF, mantissa = code & 7;
        if (exponent == 15 && mantissa == 7)
            return double.NaN;
        double magnitude = exponent == 0 ? Math.ScaleB(mantissa / 8.0, -6) : Math.ScaleB(1 + (mantissa / 8.0), exponent - 7);
        return sign == 1 ? -magnitude : magnitude;
    }

    public static byte Encode(float value)
    {
        byte sign = float.IsNegative(value) ? (byte)0x80 : (byte)0;
        double magnitude = Math.Abs((double)value);
        if (magnitude >= 448)
            return (byte)(sign | 0x7E);
        int above = Array.BinarySearch(Positive, magnitude);
        if (above >= 0)
            return (byte)(sign | above);
        above = ~above; // first code larger than the value; the one below is smaller
        double up = Positive[above] - magnitude, down = magnitude - Positive[above - 1];
        int code = up < down ? above : down < up ? above - 1 : (above % 2 == 0 ? above : above - 1);
        return (byte)(sign | code);
    }
}
