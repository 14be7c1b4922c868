namespace LlmBench.Kernels.Tests.Reference;

/// <summary>
/// qk_norm_rope.cu with Hugging Face's bf16 numerics, per token: x = bf16(x + bias) (optional); q and k heads:
/// x = bf16(w · bf16(x · rsqrt(mean(x²) + eps))) (optional per-head norm), then rope; k and v go to the paged cache
/// at the token's slot unless the slot is −1.
/// </summary>
public sealed record QkNormRopeInputs(
    QkvLayout Layout,
    float[] Qkv,
    int[] Positions,
    int[] Slots,
    float[] InverseFrequencies,
    float[]? QNormWeight,
    float[]? KNormWeight,
    float[]? Bias,
    double Eps);

public static class QkNormRopeReference
{
    /// <summary>The new QKV rows; k and v of every token with a slot are written into the caches.</summary>
    public static float[] Apply(QkNormRopeInputs inputs, PagedKvLayout cacheLayout, float[] kCache, float[] vCache)
    {
        var layout = inputs.Layout;
        var d = layout.HeadDim;
        var result = new float[inputs.Qkv.Length];
        var head = new double[d];
        for (var t = 0; t < inputs.Positions.Length; t++)
        {
            for (var h = 0; h < layout.NumHeads; h++)
            {
                var at = t * layout.RowWidth + h * d;
                for (var e = 0; e < d; e++)
                {
                    var x = (double)inputs.Qkv[at + e];
                    head[e] = inputs.Bias is null ? x : Bf16.Round(x + inputs.Bias[h * d + e]);
                }
                var isQ = h < layout.NumQHeads;
                var isV = h >= layout.NumQHeads + layout.NumKvHeads;
                var normWeight = isQ ? inputs.QNormWeight : inputs.KNormWeight;
                if (!isV && normWeight is not null)
                    NormalizeHead(head, normWeight, inputs.Eps);
                if (!isV)
                    RopeReference.Rotate(head, inputs.Positions[t], inputs.InverseFrequencies, RopeReference.RoundBf16);
                for (var e = 0; e < d; e++)
                    result[at + e] = (float)head[e];
                if (!isQ && inputs.Slots[t] >= 0)
                {
                    var kvHead = isV ? h - layout.NumQHeads - layout.NumKvHeads : h - layout.NumQHeads;
                    var cacheAt = cacheLayout.Offset(inputs.Slots[t], kvHead);
                    Array.Copy(result, at, isV ? vCache : kCache, cacheAt, d);
                }
            }
        }
        return result;
    }

    private static void NormalizeHead(Span<double> head, float[] weight, double eps)
    {
        double sumSquares = 0;
        foreach (var v in head)
            sumSquares += v * v;
        var invRms = 1.0 / Math.Sqrt(sumSquares / head.Length + eps);
        for (var e = 0; e < head.Length; e++)
            head[e] = Bf16.Round(weight[e] * (double)Bf16.Round(head[e] * invRms));
    }
}
