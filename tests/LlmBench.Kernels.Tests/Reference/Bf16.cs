using LlmBench.Gpu.Numerics;

namespace LlmBench.Kernels.Tests.Reference;

/// <summary>
/// bf16 rounding for the references: round to nearest, ties to even, done once from the exact (double) value so
/// a reference never rounds twice where the kernel rounds once from fp32.
/// </summary>
public static class Bf16
{
    /// <summary>The bf16 value nearest <paramref name="x"/> (ties to even), as a float.</summary>
    public static float Round(double x)
    {
        if (double.IsNaN(x))
            return float.NaN;
        var f = (float)x;
        if (float.IsInfinity(f))
            return f;
        // The two bf16 neighbours of x share the upper 16 bits of the float nearest x or its successor.
        var bits = BitConverter.SingleToUInt32Bits(f);
        var truncated = BitConverter.UInt32BitsToSingle(bits & 0xFFFF0000u);
        var awayBits = (bits & 0xFFFF0000u) + 0x10000u;
        var away = BitConverter.UInt32BitsToSingle(awayBits);
        var (low, high) = Math.Abs((double)truncated) <= Math.Abs((double)away) ? (truncated, away) : (away, truncated);
        var distanceLow = Math.Abs(x - low);
        var distanceHigh = Math.Abs(high - x);
        if (distanceLow != distanceHigh)
            return distanceLow < distanceHigh ? low : high;
        return (BitConverter.SingleToUInt32Bits(low) & 0x10000u) == 0 ? low : high; // tie: the even mantissa
    }

    public static ushort ToBits(double x) => FromFloatExact(Round(x));

    public static float FromBits(ushort bits) => new BFloat16(bits).ToSingle();

    /// <summary>Bits of a value that is already bf16-exact (throws otherwise, so a reference cannot round silently).</summary>
    public static ushort FromFloatExact(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if ((bits & 0xFFFFu) != 0 && !float.IsNaN(value))
            throw new ArgumentException($"{value} is not a bf16 value.", nameof(value));
        return (ushort)(bits >> 16);
    }

    public static float[] FromBits(ReadOnlySpan<ushort> bits)
    {
        var values = new float[bits.Length];
        for (var i = 0; i < bits.Length; i++)
            values[i] = FromBits(bits[i]);
        return values;
    }

    public static ushort[] ToBits(ReadOnlySpan<float> bf16Values)
    {
        var bits = new ushort[bf16Values.Length];
        for (var i = 0; i < bits.Length; i++)
            bits[i] = FromFloatExact(bf16Values[i]);
        return bits;
    }

    /// <summary>One bf16 NaN pattern (0xFFFF), used to poison outputs before a launch.</summary>
    public const ushort NaNBits = 0xFFFF;
}
