namespace LlmBench.Kernels.Tests.Reference;

/// <summary>
/// rmsnorm.cu with Hugging Face's bf16 numerics: h = bf16(residual + x); out = bf16(w · bf16(h · rsqrt(mean(h²) + eps))).
/// The mean and rsqrt are exact (double) here; the kernel's fp32 ones may move an intermediate by one bf16 ulp.
/// </summary>
public static class RmsNormReference
{
    /// <summary>h = bf16(residual + x) row by row, or residual itself when x is null (the first layer's plain norm).</summary>
    public static float[] AddResidual(ReadOnlySpan<float> residual, float[]? x)
    {
        var h = residual.ToArray();
        if (x is not null)
        {
            for (var i = 0; i < h.Length; i++)
                h[i] = Bf16.Round((double)residual[i] + x[i]);
        }
        return h;
    }

    /// <summary>The normalized rows of h [rows, hidden] (all rows, or the listed ones in order).</summary>
    public static float[] Normalize(ReadOnlySpan<float> h, ReadOnlySpan<float> weight, double eps, int[]? rows = null)
    {
        var hidden = weight.Length;
        var count = rows?.Length ?? h.Length / hidden;
        var output = new float[count * hidden];
        for (var r = 0; r < count; r++)
        {
            var row = h.Slice((rows?[r] ?? r) * hidden, hidden);
            double sumSquares = 0;
            foreach (var v in row)
                sumSquares += (double)v * v;
            var invRms = 1.0 / Math.Sqrt(sumSquares / hidden + eps);
            for (var i = 0; i < hidden; i++)
                output[r * hidden + i] = Bf16.Round(weight[i] * (double)Bf16.Round(row[i] * invRms));
        }
        return output;
    }
}
