using LlmBench.Gpu.Numerics;
using LlmBench.Kernels.Tests.Reference;
using LlmBench.Kernels.Tests.Support;

namespace LlmBench.Kernels.Tests.OnGpu;

[Collection(GpuCollection.Name)]
public class GemvGpuTests(GpuFixture fixture)
{
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
