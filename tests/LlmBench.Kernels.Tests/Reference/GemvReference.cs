namespace LlmBench.Kernels.Tests.Reference;

/// <summary>
/// gemv.cu: y[t, n] = bf16(Σ_k x[t, k] · w[n, k]) with the sum exact (double) here; the kernel's fp32 sums in
/// another order may land one bf16 ulp away. SwiGLU takes the gate and up products rounded to bf16, as the
/// separate GEMM and silu_mul.cu do.
/// </summary>
public static class GemvReference
{
    /// <summary>Exact x · wᵀ: x [tokens, in], w [out, in] → [tokens, out], not rounded.</summary>
    public static double[] Products(ReadOnlySpan<float> x, ReadOnlySpan<float> w, int tokens, int inFeatures, int outFeatures)
    {
        var y = new double[tokens * outFeatures];
        for (var t = 0; t < tokens; t++)
        {
            var row = x.Slice(t * inFeatures, inFeatures);
            for (var n = 0; n < outFeatures; n++)
            {
                var weights = w.Slice(n * inFeatures, inFeatures);
                double sum = 0;
                for (var k = 0; k < inFeatures; k++)
                    sum += (double)row[k] * weights[k];
                y[t * outFeatures + n] = sum;
            }
        }
        return y;
    }

    public static float[] Linear(ReadOnlySpan<float> x, ReadOnlySpan<float> w, int tokens, int inFeatures, int outFeatures) =>
        [.. Products(x, w, tokens, inFeatures, outFeatures).Select(Bf16.Round)];

    /// <summary>w [2·out, in] holds gate rows then up rows; the result is [tokens, out].</summary>
    public static float[] SwiGlu(ReadOnlySpan<float> x, ReadOnlySpan<float> w, int tokens, int inFeatures, int outFeatures)
    {
        var gateUp = Products(x, w, tokens, inFeatures, 2 * outFeatures);
        var y = new float[tokens * outFeatures];
        for (var t = 0; t < tokens; t++)
        {
            for (var n = 0; n < outFeatures; n++)
            {
                var gate = Bf16.Round(gateUp[t * 2 * outFeatures + n]);
                var up = Bf16.Round(gateUp[t * 2 * outFeatures + outFeatures + n]);
                y[t * outFeatures + n] = Bf16.Round(Bf16.Round(SiluMulReference.Silu(gate)) * (double)up);
            }
        }
        return y;
    }
}
