using LlmBench.Gpu;
using LlmBench.Gpu.Numerics;
using LlmBench.Kernels.Tests.Reference;
using LlmBench.Kernels.Tests.Support;

namespace LlmBench.Kernels.Tests.OnGpu;

/// <summary>quantize_fp8.cu against the CPU byte for byte, and gemv.cu with fp8 weights (W8A16) against the product of the dequantized weights.</summary>
[Collection(GpuCollection.Name)]
public class Fp8WeightsGpuTests(GpuFixture fixture)
{
    private const float Eps = 1e-6f;

    [Theory]
    [InlineData(1, 8)]
    [InlineData(37, 136)]
    [InlineData(4096, 1024)]
    [InlineData(3, 3072)]
    public void Quantize_GivesTheReferenceBytesAndScales(int rows, int inFeatures)
    {
        var gpu = fixture.SkipUnlessFp8();
        var data = new SeededData(rows * 31 + inFeatures);
        var w = data.Bf16Values((long)rows * inFeatures, scale: 0.04);
        if (rows > 2)
        {
            w[inFeatures + 3] = 1.5f;                                   // an outlier in row 1
            Array.Clear(w, 2 * inFeatures, inFeatures);                 // row 2 all zeros
        }
        var quantizer = fixture.Family($"{inFeatures}", c => new Fp8WeightQuantizer(c, inFeatures));
        using var deviceW = gpu.UploadBf16(w);
        using var values = gpu.Poisoned<byte>((long)rows * inFeatures);
        using var scales = gpu.Poisoned<float>(rows);

        quantizer.Run(gpu.Stream, deviceW, new Fp8Matrix(values, scales), rows);

        var (expectedValues, expectedScales) = Fp8Weights.Quantize(w, rows, inFeatures);
        Assert.Equal(expectedScales, gpu.Download(scales));
        Assert.Equal(expectedValues, gpu.Download(values));
    }

    public static TheoryData<int, int, int, int> Sizes => new()
    {
        { 1024, 4096, 1, 0 },
        { 1024, 4096, 8, 0 },
        { 3072, 1024, 4, 0 },
        { 136, 333, 3, 4 },
        { 1032, 4097, 5, 1 },
        { 8, 1, 1, 0 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Run_WithFp8Weights_MatchesTheProductOfTheDequantizedWeights(int inFeatures, int outFeatures, int tokens, int rowsPerBlock)
    {
        var gpu = fixture.SkipUnlessFp8();
        var data = new SeededData(inFeatures * 3 + outFeatures + tokens);
        var x = data.Bf16Values((long)tokens * inFeatures);
        var w = data.Bf16Values((long)outFeatures * inFeatures, scale: 1 / Math.Sqrt(inFeatures));
        var (q, s) = Fp8Weights.Quantize(w, outFeatures, inFeatures);
        var kernels = fixture.Family($"{inFeatures}-fp8", c => new GemvKernels(c, inFeatures, swiGlu: true, norm: true, fp8Weights: true));
        using var deviceX = gpu.UploadBf16(x);
        using var values = gpu.Upload(q);
        using var scales = gpu.Upload(s);
        using var output = gpu.Poisoned<BFloat16>((long)tokens * outFeatures + 1);

        kernels.Run(gpu.Stream, new Fp8Matrix(values, scales), deviceX, output, outFeatures, tokens, rowsPerBlock);

        var result = gpu.DownloadBf16(output);
        Comparison.Of($"gemv fp8 K={inFeatures} N={outFeatures} T={tokens}", result.AsSpan(0, tokens * outFeatures),
            GemvReference.Linear(x, Fp8Weights.Dequantize(q, s, inFeatures), tokens, inFeatures, outFeatures)).AssertWithin(Tolerance.Bf16Output);
        Assert.True(float.IsNaN(result[^1]), "the kernel wrote past its output");
    }

    [Theory]
    [InlineData(1024, 3072, 1, false)]
    [InlineData(1024, 3072, 8, true)]
    [InlineData(136, 37, 5, true)]
    public void SwiGlu_WithFp8Weights_AndWithTheNormFolded_MatchTheReference(int hidden, int outFeatures, int tokens, bool normed)
    {
        var gpu = fixture.SkipUnlessFp8();
        var data = new SeededData(hidden * 5 + outFeatures + tokens);
        var residual = data.Bf16Values((long)tokens * hidden, scale: 3.0);
        var add = data.Bf16Values((long)tokens * hidden);
        var normWeight = data.Bf16Values(hidden, scale: 0.2, mean: 1.0);
        var w = data.Bf16Values(2L * outFeatures * hidden, scale: 2 / Math.Sqrt(hidden));
        var (q, s) = Fp8Weights.Quantize(w, 2 * outFeatures, hidden);
        var kernels = fixture.Family($"{hidden}-fp8", c => new GemvKernels(c, hidden, swiGlu: true, norm: true, fp8Weights: true));
        var norm = fixture.Family($"{hidden}", c => new RmsNormKernels(c, hidden));
        using var values = gpu.Upload(q);
        using var scales = gpu.Upload(s);
        var weight = new Fp8Matrix(values, scales);
        using var output = gpu.Poisoned<BFloat16>((long)tokens * outFeatures);
        float[] x;
        if (normed)
        {
            using var residualIn = gpu.UploadBf16(residual);
            using var deviceAdd = gpu.UploadBf16(add);
            using var deviceNormWeight = gpu.UploadBf16(normWeight);
            using var residualOut = gpu.Poisoned<BFloat16>((long)tokens * hidden);
            kernels.RunNormed(gpu.Stream, weight, residualIn, deviceAdd, deviceNormWeight, residualOut, output, outFeatures, tokens, Eps, swiGlu: true);
            // x as the norm kernel makes it (bit for bit what the fused kernel computes; GemvGpuTests proves that for bf16).
            using var unfusedResidual = gpu.UploadBf16(residual);
            using var normed2 = gpu.Poisoned<BFloat16>((long)tokens * hidden);
            norm.AddAndNormalize(gpu.Stream, unfusedResidual, deviceAdd, deviceNormWeight, normed2, tokens, Eps);
            x = gpu.DownloadBf16(normed2);
            Assert.Equal(gpu.DownloadBf16(unfusedResidual), gpu.DownloadBf16(residualOut));
        }
        else
        {
            x = residual;
            using var deviceX = gpu.UploadBf16(x);
            kernels.RunSwiGlu(gpu.Stream, weight, deviceX, output, outFeatures, tokens);
        }

        Comparison.Of($"gemv_swiglu fp8 H={hidden} N={outFeatures} T={tokens} normed={normed}", gpu.DownloadBf16(output),
            GemvReference.SwiGlu(x, Fp8Weights.Dequantize(q, s, hidden), tokens, hidden, outFeatures)).AssertWithin(Tolerance.Bf16Output);
    }

    [Fact]
    public void A_bf16_family_refuses_fp8_weights_and_the_other_way_round()
    {
        var gpu = fixture.SkipUnlessFp8();
        var bf16 = fixture.Family("136", c => new GemvKernels(c, 136, swiGlu: true));
        var fp8 = fixture.Family("136-fp8", c => new GemvKernels(c, 136, swiGlu: true, norm: true, fp8Weights: true));
        using var bytes = gpu.Poisoned<byte>(136 * 4);
        using var scales = gpu.Poisoned<float>(4);
        using var weight = gpu.Poisoned<BFloat16>(136 * 4);
        using var x = gpu.Poisoned<BFloat16>(136);
        using var y = gpu.Poisoned<BFloat16>(4);
        Assert.Throws<InvalidOperationException>(() => bf16.Run(gpu.Stream, new Fp8Matrix(bytes, scales), x, y, 4, 1));
        Assert.Throws<InvalidOperationException>(() => fp8.Run(gpu.Stream, (DeviceSpan<BFloat16>)weight, x, y, 4, 1));
    }
}
