namespace LlmBench.Gpu.Numerics;

/// <summary>bf16 as raw bits: the upper half of an IEEE float. .NET 10 has no BFloat16 type of its own.</summary>
public readonly record struct BFloat16(ushort Bits)
{
    public static BFloat16 FromSingle(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
            return new BFloat16((ushort)((bits >> 16) | 0x40));
        bits += 0x7FFFu + ((bits >> 16) & 1u); // round to nearest even, as the GPU fill kernel does
        return new BFloat16((ushort)(bits >> 16));
    }

    public float ToSingle() => BitConverter.UInt32BitsToSingle((uint)Bits << 16);
}

/// <summary>fp8 e4m3 (the "fn" variant: no infinities, one NaN pattern per sign), as the GPU converts it.</summary>
public readonly record struct Float8E4M3(byte Bits)
{
    /// <summary>The largest finite value.</summary>
    public const float MaxValue = 448f;

    /// <summary>
    /// Rounds to nearest even and saturates to ±448 (what cvt.rn.satfinite.e4m3x2.f32 does, infinities included);
    /// NaN stays NaN.
    /// </summary>
    public static Float8E4M3 FromSingle(float value)
    {
        var sign = (byte)((BitConverter.SingleToUInt32Bits(value) >> 24) & 0x80);
        if (float.IsNaN(value))
            return new Float8E4M3((byte)(sign | 0x7F));
        var magnitude = MathF.Abs(value);
        if (magnitude >= MaxValue)
            return new Float8E4M3((byte)(sign | 0x7E));
        int code;
        if (magnitude < 1f / 64) // below the smallest normal, 2^-6: steps of 2^-9 (8 steps up to it, then normals follow on)
        {
            code = (int)MathF.Round(magnitude * 512f, MidpointRounding.ToEven);
        }
        else
        {
            var bits = BitConverter.SingleToUInt32Bits(magnitude);
            int exponent = (int)(bits >> 23) - 127;
            uint mantissa = bits & 0x7FFFFF, kept = mantissa >> 20, rest = mantissa & 0xFFFFF;
            if (rest > 0x80000 || (rest == 0x80000 && (kept & 1) != 0))
                kept++; // a carry out of the mantissa moves to the next exponent, as the codes are contiguous
            code = Math.Min(((exponent + 7) << 3) + (int)kept, 0x7E);
        }
        return new Float8E4M3((byte)(sign | code));
    }

    public float ToSingle()
    {
        var sign = (Bits & 0x80) != 0 ? -1f : 1f;
        var exponent = (Bits >> 3) & 0xF;
        var mantissa = Bits & 0x7;
        if (exponent == 0xF && mantissa == 0x7)
            return float.NaN;
        return exponent == 0
            ? sign * mantissa / 8f * MathF.Pow(2, -6)
            : sign * (1 + mantissa / 8f) * MathF.Pow(2, exponent - 7);
    }
}
