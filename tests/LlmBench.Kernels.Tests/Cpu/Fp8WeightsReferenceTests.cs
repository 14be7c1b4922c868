using LlmBench.Gpu.Numerics;
using LlmBench.Kernels.Tests.Reference;
using LlmBench.Kernels.Tests.Support;

namespace LlmBench.Kernels.Tests.Cpu;

public class Fp8WeightsReferenceTests
{
    [Fact]
    public void Each_row_maps_its_largest_magnitude_to_448_and_keeps_every_weight_within_half_a_step()
    {
        const int rows = 7, k = 136;
        var data = new SeededData(3);
        var w = data.Bf16Values(rows * k, scale: 0.05);
        w[3 * k + 5] = -2.5f; // one row with an outlier
        var (values, scales) = Fp8Weights.Quantize(w, rows, k);
        var back = Fp8Weights.Dequantize(values, scales, k);
        for (var r = 0; r < rows; r++)
        {
            var row = w.AsSpan(r * k, k);
            float amax = 0;
            foreach (var v in row)
                amax = MathF.Max(amax, MathF.Abs(v));
            Assert.Equal(amax / 448f, scales[r]);
            Assert.Contains(values.AsSpan(r * k, k).ToArray(), b => (b & 0x7F) == 0x7E); // ±448 somewhere in the row
            for (var i = 0; i < k; i++)
            {
                // e4m3 keeps 3 mantissa bits: a normal value moves by at most 2^-4 of itself; subnormals (below
                // 2^-6 · scale) by at most half their step, 2^-10 · scale.
                var error = MathF.Abs(back[r * k + i] - row[i]);
                Assert.True(error <= MathF.Max(MathF.Abs(row[i]) / 16f, scales[r] / 1024f) * 1.0001f,
                    $"row {r} [{i}]: {row[i]} came back as {back[r * k + i]}");
            }
        }
        // The outlier row's other weights lose precision to it, the others do not: the reason for a scale per row.
        Assert.True(scales[3] > 10 * scales[0]);
    }

    [Fact]
    public void A_row_of_zeros_gets_scale_one_and_zero_bytes()
    {
        var (values, scales) = Fp8Weights.Quantize(new float[16], 2, 8);
        Assert.Equal([1f, 1f], scales);
        Assert.All(values, b => Assert.Equal(0, b));
    }

    [Fact]
    public void A_product_with_quantized_weights_stays_close_to_the_bf16_one()
    {
        // What W8A16 costs in accuracy on a Qwen3-0.6B-sized row block: the relative error of each output is that of
        // a sum of e4m3-rounded terms, a few tenths of a percent of the output's scale.
        const int k = 1024, n = 64, tokens = 2;
        var data = new SeededData(5);
        var x = data.Bf16Values(tokens * k);
        var w = data.Bf16Values(n * k, scale: 1 / Math.Sqrt(k));
        var (values, scales) = Fp8Weights.Quantize(w, n, k);
        var exact = GemvReference.Products(x, w, tokens, k, n);
        var quantized = GemvReference.Products(x, Fp8Weights.Dequantize(values, scales, k), tokens, k, n);
        double worst = 0, norm = 0;
        for (var i = 0; i < exact.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(exact[i] - quantized[i]));
            norm = Math.Max(norm, Math.Abs(exact[i]));
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"worst |error| / largest |output| = {worst / norm:E3}");
        Assert.InRange(worst / norm, 1e-4, 0.03);
    }
}
