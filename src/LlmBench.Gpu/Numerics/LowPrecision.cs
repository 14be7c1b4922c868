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

/// <summary>fp8 e4m3 (the "fn" variant: no infinities, one NaN pattern per sign), decoded for CPU references.</summary>
public readonly record struct Float8E4M3(byte Bits)
{
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
