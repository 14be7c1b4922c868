using LlmBench.Gpu.Numerics;
using LlmBench.Kernels.Tests.Reference;
using LlmBench.Kernels.Tests.Support;

namespace LlmBench.Kernels.Tests.OnGpu;

[Collection(GpuCollection.Name)]
public class SiluMulGpuTests(GpuFixture fixture)
{
    [Theory]
    [InlineData(1, 3072)]
    [InlineData(17, 3072)]
    [InlineData(4096, 1024)]
    [InlineData(33, 24)] // 99 vectors: the last block is mostly idle
    public void Run_MatchesSiluOfGateTimesUp(int tokens, int inter)
    {
        var gpu = fixture.SkipUnlessGpu();
        var data = new SeededData(tokens + inter);
        var gateUp = data.Bf16Values(2L * tokens * inter, scale: 2.0);
        var kernel = fixture.Family($"{inter}", c => new SiluMulKernel(c, inter));
        using var deviceGateUp = gpu.UploadBf16(gateUp);
        using var output = gpu.Poisoned<BFloat16>((long)tokens * inter);

        kernel.Run(gpu.Stream, deviceGateUp, output, tokens);

        Comparison.Of($"silu_mul T={tokens} I={inter}", gpu.DownloadBf16(output), SiluMulReference.Apply(gateUp, inter))
            .AssertWithin(Tolerance.Bf16Output);
    }
}
