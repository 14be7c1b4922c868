using LlmBench.Gpu.Numerics;

namespace LlmBench.Kernels.Tests.Reference;

/// <summary>
/// The fp8 KV cache's numerics on the CPU: a stored value is e4m3(x · (1 / scale)), the reciprocal taken in fp32 as the
/// kernel takes it, and it reads back as e4m3 · scale. NaN (the tests' poison) stays NaN.
/// </summary>
public static class Fp8KvCache
{
    public static byte[] Quantize(ReadOnlySpan<float> values, float scale)
    {
        var inverse = 1f / scale;
        var bytes = new byte[values.Length];
        for (var i = 0; i < bytes.Length; i++)
            bytes[i] = Float8E4M3.FromSingle(values[i] * inverse).Bits;
        return bytes;
    }

    /// <summary>Each value replaced by what the cache gives back for it at <paramref name="scale"/>.</summary>
    public static void RoundTripInPlace(float[] values, float scale)
    {
        var bytes = Quantize(values, scale);
        for (var i = 0; i < values.Length; i++)
            values[i] = new Float8E4M3(bytes[i]).ToSingle() * scale;
    }
}
