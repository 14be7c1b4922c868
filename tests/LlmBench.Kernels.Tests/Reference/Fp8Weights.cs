using LlmBench.Gpu.Numerics;

namespace LlmBench.Kernels.Tests.Reference;

/// <summary>
/// quantize_fp8.cu on the CPU: per row, scale = amax / 448 (1 for a row of zeros) in fp32, q = e4m3(w · (1 / scale))
/// with the reciprocal and the product in fp32; and the W8A16 product gemv.cu computes from it.
/// </summary>
public static class Fp8Weights
{
    public static (byte[] Values, float[] Scales) Quantize(ReadOnlySpan<float> w, int rows, int inFeatures)
    {
        var values = new byte[(long)rows * inFeatures];
        var scales = new float[rows];
        for (var r = 0; r < rows; r++)
        {
            var row = w.Slice(r * inFeatures, inFeatures);
            float amax = 0;
            foreach (var v in row)
                amax = MathF.Max(amax, MathF.Abs(v));
            var scale = amax > 0 ? amax / Float8E4M3.MaxValue : 1f;
            scales[r] = scale;
            Fp8KvCache.Quantize(row, scale).CopyTo(values.AsSpan(r * inFeatures));
        }
        return (values, scales);
    }

    /// <summary>The weights the quantized matrix stands for, q · scale per element.</summary>
    public static float[] Dequantize(ReadOnlySpan<byte> values, ReadOnlySpan<float> scales, int inFeatures)
    {
        var w = new float[values.Length];
        for (var i = 0; i < w.Length; i++)
            w[i] = new Float8E4M3(values[i]).ToSingle() * scales[i / inFeatures];
        return w;
    }
}
