using LlmBench.Gpu.Numerics;
using LlmBench.Kernels.Tests.Reference;
using LlmBench.Kernels.Tests.Support;

namespace LlmBench.Kernels.Tests.OnGpu;

[Collection(GpuCollection.Name)]
public class RmsNormGpuTests(GpuFixture fixture)
{
    private const float Eps = 1e-6f;

    public static TheoryData<int, int> Sizes => new() { { 1, 1024 }, { 333, 896 }, { 4096, 1024 }, { 5, 2056 }, { 17, 8 } };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void AddAndNormalize_WritesTheSumToResidual_AndItsNorm(int rows, int hidden)
    {
        var gpu = fixture.SkipUnlessGpu();
        var data = new SeededData(rows + hidden);
        var residual = data.Bf16Values((long)rows * hidden, scale: 3.0);
        var x = data.Bf16Values((long)rows * hidden);
        var weight = data.Bf16Values(hidden, scale: 0.2, mean: 1.0);
        var kernel = fixture.Family($"{hidden}", c => new RmsNormKernels(c, hidden));
        using var deviceResidual = gpu.UploadBf16(residual);
        using var deviceX = gpu.UploadBf16(x);
        using var deviceWeight = gpu.UploadBf16(weight);
        using var output = gpu.Poisoned<BFloat16>((long)rows * hidden);

        kernel.AddAndNormalize(gpu.Stream, deviceResidual, deviceX, deviceWeight, output, rows, Eps);

        var h = RmsNormReference.AddResidual(residual, x);
        Assert.Equal(h, gpu.DownloadBf16(deviceResidual)); // one rounding of an exact sum: bit-exact
        Comparison.Of($"rmsnorm_fused_add T={rows} H={hidden}", gpu.DownloadBf16(output), RmsNormReference.Normalize(h, weight, Eps))
            .AssertWithin(Tolerance.Bf16Output);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Normalize_LeavesItsInputAlone(int rows, int hidden)
    {
        var gpu = fixture.SkipUnlessGpu();
        var data = new SeededData(rows * 3 + hidden);
        var input = data.Bf16Values((long)rows * hidden, scale: 2.0);
        var weight = data.Bf16Values(hidden, scale: 0.2, mean: 1.0);
        var kernel = fixture.Family($"{hidden}", c => new RmsNormKernels(c, hidden));
        using var deviceInput = gpu.UploadBf16(input);
        using var deviceWeight = gpu.UploadBf16(weight);
        using var output = gpu.Poisoned<BFloat16>((long)rows * hidden);

        kernel.Normalize(gpu.Stream, deviceInput, deviceWeight, output, rows, Eps);

        Comparison.Of($"rmsnorm T={rows} H={hidden}", gpu.DownloadBf16(output), RmsNormReference.Normalize(input, weight, Eps))
            .AssertWithin(Tolerance.Bf16Output);
        Assert.Equal(input, gpu.DownloadBf16(deviceInput));
    }

    [Theory]
    [InlineData(1, 1, 1024)]
    [InlineData(333, 37, 896)]
    [InlineData(4096, 256, 1024)]
    public void AddAndNormalizeRows_NormalizesOnlyTheChosenRows(int rows, int chosen, int hidden)
    {
        var gpu = fixture.SkipUnlessGpu();
        var data = new SeededData(rows * 5 + chosen);
        var residual = data.Bf16Values((long)rows * hidden, scale: 3.0);
        var x = data.Bf16Values((long)rows * hidden);
        var weight = data.Bf16Values(hidden, scale: 0.2, mean: 1.0);
        var rowIds = data.Permutation(rows)[..chosen];
        var kernel = fixture.Family($"{hidden}", c => new RmsNormKernels(c, hidden));
        using var deviceResidual = gpu.UploadBf16(residual);
        using var deviceX = gpu.UploadBf16(x);
        using var deviceWeight = gpu.UploadBf16(weight);
        using var deviceRows = gpu.Upload(rowIds);
        using var output = gpu.Poisoned<BFloat16>((long)chosen * hidden);

        kernel.AddAndNormalizeRows(gpu.Stream, deviceResidual, deviceX, deviceRows, deviceWeight, output, chosen, Eps);

        var expected = RmsNormReference.Normalize(RmsNormReference.AddResidual(residual, x), weight, Eps, rowIds);
        Comparison.Of($"rmsnorm_rows R={chosen} of T={rows} H={hidden}", gpu.DownloadBf16(output), expected).AssertWithin(Tolerance.Bf16Output);
        Assert.Equal(residual, gpu.DownloadBf16(deviceResidual));
    }
}
