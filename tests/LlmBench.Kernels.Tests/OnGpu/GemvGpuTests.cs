using LlmBench.Gpu;
using LlmBench.Gpu.Numerics;
using LlmBench.Kernels.Tests.Reference;
using LlmBench.Kernels.Tests.Support;

namespace LlmBench.Kernels.Tests.OnGpu;

[Collection(GpuCollection.Name)]
public class GemvGpuTests(GpuFixture fixture)
{
    private const float Eps = 1e-6f;

    /// <summary>(in, out, tokens, rows per CTA): Qwen3-0.6B's layers at 1 and 8 tokens, and edges: one 16-byte vector,
    /// fewer vectors than threads, one vector past a multiple of the threads, outputs that leave the last CTA part
    /// empty, token counts between the compiled tiers, and every rows-per-CTA choice.</summary>
    public static TheoryData<int, int, int, int> Sizes => new()
    {
        { 1024, 4096, 1, 0 },
        { 1024, 4096, 8, 0 },
        { 2048, 1024, 2, 0 },
        { 3072, 1024, 8, 0 },
        { 8, 1, 1, 0 },
        { 136, 333, 3, 4 },
        { 1032, 4097, 5, 4 },
        { 1032, 4097, 7, 2 },
        { 1024, 1023, 4, 1 },
        { 1024, 20011, 2, 0 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Run_MatchesTheExactProductRoundedToBf16(int inFeatures, int outFeatures, int tokens, int rowsPerBlock)
    {
        var gpu = fixture.SkipUnlessGpu();
        var data = new SeededData(inFeatures + outFeatures + tokens);
        var x = data.Bf16Values((long)tokens * inFeatures);
        var w = data.Bf16Values((long)outFeatures * inFeatures, scale: 1 / Math.Sqrt(inFeatures));
        var kernels = fixture.Family($"{inFeatures}", c => new GemvKernels(c, inFeatures, swiGlu: true));
        using var deviceX = gpu.UploadBf16(x);
        using var deviceW = gpu.UploadBf16(w);
        using var output = gpu.Poisoned<BFloat16>((long)tokens * outFeatures + 1);

        kernels.Run(gpu.Stream, deviceW, deviceX, output, outFeatures, tokens, rowsPerBlock);

        var result = gpu.DownloadBf16(output);
        Comparison.Of($"gemv K={inFeatures} N={outFeatures} T={tokens} R={rowsPerBlock}", result.AsSpan(0, tokens * outFeatures),
            GemvReference.Linear(x, w, tokens, inFeatures, outFeatures)).AssertWithin(Tolerance.Bf16Output);
        Assert.True(float.IsNaN(result[^1]), "the kernel wrote past its output");
    }

    [Theory]
    [InlineData(1024, 3072, 1, 0)]
    [InlineData(1024, 3072, 8, 0)]
    [InlineData(136, 37, 3, 1)]
    [InlineData(136, 37, 6, 2)]
    [InlineData(1032, 259, 5, 4)]
    public void RunSwiGlu_MatchesTheProductThenSiluMul(int inFeatures, int outFeatures, int tokens, int rowsPerBlock)
    {
        var gpu = fixture.SkipUnlessGpu();
        var data = new SeededData(3 * inFeatures + outFeatures + tokens);
        var x = data.Bf16Values((long)tokens * inFeatures);
        var w = data.Bf16Values(2L * outFeatures * inFeatures, scale: 2 / Math.Sqrt(inFeatures));
        var kernels = fixture.Family($"{inFeatures}", c => new GemvKernels(c, inFeatures, swiGlu: true));
        using var deviceX = gpu.UploadBf16(x);
        using var deviceW = gpu.UploadBf16(w);
        using var output = gpu.Poisoned<BFloat16>((long)tokens * outFeatures);

        kernels.RunSwiGlu(gpu.Stream, deviceW, deviceX, output, outFeatures, tokens, rowsPerBlock);

        Comparison.Of($"gemv_swiglu K={inFeatures} N={outFeatures} T={tokens} R={rowsPerBlock}", gpu.DownloadBf16(output),
            GemvReference.SwiGlu(x, w, tokens, inFeatures, outFeatures)).AssertWithin(Tolerance.Bf16Output);
    }

    /// <summary>(hidden, out, tokens, add, SwiGLU): Qwen3-0.6B's qkv and gate/up at 1 and 8 tokens, the first layer (no
    /// add), fewer vectors than threads, a tier in between, and a hidden size of four vectors per thread.</summary>
    public static TheoryData<int, int, int, bool, bool> NormSizes => new()
    {
        { 1024, 4096, 1, true, false },
        { 1024, 4096, 8, true, false },
        { 1024, 3072, 1, true, true },
        { 1024, 3072, 8, true, true },
        { 1024, 4096, 2, false, false },
        { 136, 333, 3, true, false },
        { 136, 37, 5, false, true },
        { 4096, 1000, 4, true, true },
    };

    [Theory]
    [MemberData(nameof(NormSizes))]
    public void RunNormed_EqualsTheNormKernelThenTheProduct_BitForBit(int hidden, int outFeatures, int tokens, bool withAdd, bool swiGlu)
    {
        var gpu = fixture.SkipUnlessGpu();
        var data = new SeededData(hidden * 7 + outFeatures + tokens);
        var residual = data.Bf16Values((long)tokens * hidden, scale: 3.0);
        var add = data.Bf16Values((long)tokens * hidden);
        var normWeight = data.Bf16Values(hidden, scale: 0.2, mean: 1.0);
        var w = data.Bf16Values((swiGlu ? 2L : 1L) * outFeatures * hidden, scale: 2 / Math.Sqrt(hidden));
        var gemv = fixture.Family($"{hidden}-norm", c => new GemvKernels(c, hidden, swiGlu: true, norm: true));
        var norm = fixture.Family($"{hidden}", c => new RmsNormKernels(c, hidden));
        using var deviceW = gpu.UploadBf16(w);
        using var deviceAdd = gpu.UploadBf16(add);
        using var deviceNormWeight = gpu.UploadBf16(normWeight);

        // Unfused: the norm kernel (residual updated in place), then the GEMV.
        using var unfusedResidual = gpu.UploadBf16(residual);
        using var normed = gpu.Poisoned<BFloat16>((long)tokens * hidden);
        using var unfused = gpu.Poisoned<BFloat16>((long)tokens * outFeatures);
        if (withAdd)
            norm.AddAndNormalize(gpu.Stream, unfusedResidual, deviceAdd, deviceNormWeight, normed, tokens, Eps);
        else
            norm.Normalize(gpu.Stream, unfusedResidual, deviceNormWeight, normed, tokens, Eps);
        if (swiGlu)
            gemv.RunSwiGlu(gpu.Stream, deviceW, normed, unfused, outFeatures, tokens);
        else
            gemv.Run(gpu.Stream, deviceW, normed, unfused, outFeatures, tokens);

        // Fused: one launch, the residual read from one buffer and written to another.
        using var residualIn = gpu.UploadBf16(residual);
        using var residualOut = gpu.Poisoned<BFloat16>((long)tokens * hidden);
        using var fused = gpu.Poisoned<BFloat16>((long)tokens * outFeatures + 1);
        gemv.RunNormed(gpu.Stream, deviceW, residualIn, withAdd ? (DeviceSpan<BFloat16>)deviceAdd : default, deviceNormWeight, residualOut, fused, outFeatures, tokens, Eps, swiGlu);

        var fusedOut = gpu.DownloadBf16(fused);
        Assert.Equal(gpu.DownloadBf16(unfused), fusedOut.AsSpan(0, tokens * outFeatures).ToArray());
        Assert.True(float.IsNaN(fusedOut[^1]), "the kernel wrote past its output");
        Assert.Equal(gpu.DownloadBf16(unfusedResidual), gpu.DownloadBf16(residualOut));
        Assert.Equal(residual, gpu.DownloadBf16(residualIn)); // read only
        // And against the CPU: the product of the (GPU-normalized) input within bf16 output rounding.
        var x = gpu.DownloadBf16(normed);
        Comparison.Of($"gemv_norm H={hidden} N={outFeatures} T={tokens}", fusedOut.AsSpan(0, tokens * outFeatures),
            swiGlu ? GemvReference.SwiGlu(x, w, tokens, hidden, outFeatures) : GemvReference.Linear(x, w, tokens, hidden, outFeatures))
            .AssertWithin(Tolerance.Bf16Output);
        Assert.Equal(RmsNormReference.AddResidual(residual, withAdd ? add : null), gpu.DownloadBf16(residualOut));
    }

    public static TheoryData<int, int, int, bool> ThenNormSizes => new()
    {
        { 2048, 1024, 1, false },
        { 3072, 1024, 8, false },
        { 3072, 1024, 3, true },
        { 136, 200, 1, false },
        { 136, 200, 5, true },
        { 1032, 4096, 4, false },
        { 64, 8, 8, false },
    };

    [Theory]
    [MemberData(nameof(ThenNormSizes))]
    public void RunThenNormalize_EqualsTheProductThenTheNormKernel_BitForBit(int inFeatures, int hidden, int tokens, bool fp8)
    {
        var gpu = fixture.SkipUnlessGpu();
        if (fp8)
            Assert.SkipUnless(gpu.Device.Info.ComputeCapability.SupportsFp8, "fp8 weights need compute capability 8.9+");
        var data = new SeededData(inFeatures * 5 + hidden + tokens);
        var x = data.Bf16Values((long)tokens * inFeatures);
        var residual = data.Bf16Values((long)tokens * hidden, scale: 3.0);
        var normWeight = data.Bf16Values(hidden, scale: 0.2, mean: 1.0);
        var w = data.Bf16Values((long)hidden * inFeatures, scale: 2 / Math.Sqrt(inFeatures));
        var gemv = fixture.Family($"{inFeatures}-then{hidden}{(fp8 ? "-fp8" : "")}", c => new GemvKernels(c, inFeatures, fp8Weights: fp8, thenNormWidth: hidden));
        var norm = fixture.Family($"{hidden}", c => new RmsNormKernels(c, hidden));
        using var deviceX = gpu.UploadBf16(x);
        using var deviceNormWeight = gpu.UploadBf16(normWeight);
        using var deviceW = gpu.UploadBf16(w);
        var (codes, rowScales) = fp8 ? Fp8Weights.Quantize(w, hidden, inFeatures) : ([0], [0f]);
        using var values = gpu.Upload(codes);
        using var scales = gpu.Upload(rowScales);
        Fp8Matrix? q = fp8 ? new Fp8Matrix(values, scales) : null;
        void Product(DeviceSpan<BFloat16> output)
        {
            if (q is { } m)
                gemv.Run(gpu.Stream, m, deviceX, output, hidden, tokens);
            else
                gemv.Run(gpu.Stream, deviceW, deviceX, output, hidden, tokens);
        }

        // Separately: the product, then the norm kernel (residual updated in place).
        using var separateResidual = gpu.UploadBf16(residual);
        using var separateOut = gpu.Poisoned<BFloat16>((long)tokens * hidden);
        using var separateNormed = gpu.Poisoned<BFloat16>((long)tokens * hidden);
        Product(separateOut);
        norm.AddAndNormalize(gpu.Stream, separateResidual, separateOut, deviceNormWeight, separateNormed, tokens, Eps);

        // In one launch, twice in a row on the same counter (the first launch must leave it at zero).
        using var counter = gpu.Upload(new uint[] { 0 });
        for (int round = 0; round < 2; round++)
        {
            using var fusedResidual = gpu.UploadBf16(residual);
            using var fusedOut = gpu.Poisoned<BFloat16>((long)tokens * hidden);
            using var fusedNormed = gpu.Poisoned<BFloat16>((long)tokens * hidden + 1);
            if (q is { } m)
                gemv.RunThenNormalize(gpu.Stream, m, deviceX, fusedOut, tokens, fusedResidual, deviceNormWeight, fusedNormed, counter, Eps);
            else
                gemv.RunThenNormalize(gpu.Stream, deviceW, deviceX, fusedOut, tokens, fusedResidual, deviceNormWeight, fusedNormed, counter, Eps);

            Assert.Equal(gpu.DownloadBf16(separateOut), gpu.DownloadBf16(fusedOut));
            Assert.Equal(gpu.DownloadBf16(separateResidual), gpu.DownloadBf16(fusedResidual));
            var normed = gpu.DownloadBf16(fusedNormed);
            Assert.Equal(gpu.DownloadBf16(separateNormed), normed.AsSpan(0, tokens * hidden).ToArray());
            Assert.True(float.IsNaN(normed[^1]), "the kernel wrote past its normed output");
            Assert.Equal(0u, gpu.Download(counter)[0]);
        }
        // And the residual against the CPU: h = bf16(residual + product).
        Assert.Equal(RmsNormReference.AddResidual(residual, gpu.DownloadBf16(separateOut)), gpu.DownloadBf16(separateResidual));
    }

    [Fact]
    public void RunNormed_RefusesTheSameBufferForTheResidualInAndOut()
    {
        var gpu = fixture.SkipUnlessGpu();
        var gemv = fixture.Family("136-norm", c => new GemvKernels(c, 136, swiGlu: true, norm: true));
        using var buffer = gpu.Poisoned<BFloat16>(136);
        using var weight = gpu.Poisoned<BFloat16>(136 * 8);
        var ex = Assert.Throws<ArgumentException>(() => gemv.RunNormed(gpu.Stream, weight, buffer, default, buffer, buffer, weight, 8, 1, Eps));
        Assert.Contains("different buffers", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Chain_WithProgrammaticLaunch_ReadsTheFinishedInput()
    {
        // The second product reads the first's output; launched programmatically it starts early and must wait.
        // A first product of 4,096 rows gives an early reader time to see the poisoned (NaN) buffer.
        var gpu = fixture.SkipUnlessGpu();
        Assert.SkipUnless(gpu.Device.Info.ComputeCapability.SupportsProgrammaticDependentLaunch, "needs Hopper or later");
        const int inFeatures = 1024, middle = 4096, outFeatures = 512, tokens = 2;
        var data = new SeededData(11);
        var x = data.Bf16Values(tokens * inFeatures);
        var w1 = data.Bf16Values((long)middle * inFeatures, scale: 1 / Math.Sqrt(inFeatures));
        var w2 = data.Bf16Values((long)outFeatures * middle, scale: 1 / Math.Sqrt(middle));
        var first = fixture.Family($"{inFeatures}", c => new GemvKernels(c, inFeatures, swiGlu: true));
        var second = fixture.Family($"{middle}", c => new GemvKernels(c, middle));
        using var deviceX = gpu.UploadBf16(x);
        using var deviceW1 = gpu.UploadBf16(w1);
        using var deviceW2 = gpu.UploadBf16(w2);
        using var hidden = gpu.Poisoned<BFloat16>((long)tokens * middle);
        using var output = gpu.Poisoned<BFloat16>((long)tokens * outFeatures);

        gpu.Stream.ProgrammaticDependentLaunch = true;
        try
        {
            first.Run(gpu.Stream, deviceW1, deviceX, hidden, middle, tokens);
            second.Run(gpu.Stream, deviceW2, hidden, output, outFeatures, tokens);
        }
        finally
        {
            gpu.Stream.ProgrammaticDependentLaunch = false;
        }

        var h = gpu.DownloadBf16(hidden);
        Comparison.Of("chained gemv, first", h, GemvReference.Linear(x, w1, tokens, inFeatures, middle)).AssertWithin(Tolerance.Bf16Output);
        Comparison.Of("chained gemv, second", gpu.DownloadBf16(output), GemvReference.Linear(h, w2, tokens, middle, outFeatures))
            .AssertWithin(Tolerance.Bf16Output);
    }
}
