using LlmBench.Gpu.Compilation;
using LlmBench.Gpu.Tracing;

namespace LlmBench.Gpu.Tests.OnGpu;

/// <summary>CUPTI's kernel trace on the GPU: the kernels of a graph replay come back named, timed and in order.</summary>
[Collection(GpuCollection.Name)]
public class KernelTraceTests(GpuFixture gpu)
{
    private const string Spin = """
        extern "C" __global__ void trace_spin(float* x, int rounds, int n)
        {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i >= n) return;
            float v = x[i];
            for (int r = 0; r < rounds; r++) v = v * 1.0001f + 0.5f;
            x[i] = v;
        }
        """;

    [Fact]
    public void AGraphReplay_IsTracedKernelByKernel_BetweenHostMarks()
    {
        var (device, compiler) = gpu.SkipUnlessGpu();
        Assert.SkipWhen(CuptiKernelTrace.Unavailable() is not null, $"CUPTI: {CuptiKernelTrace.Unavailable()}");
        const int n = 1 << 16;
        using var module = compiler.Load(new KernelSource("trace_spin.cu", Spin));
        var kernel = module.GetKernel("trace_spin");
        using var stream = device.CreateStream();
        using var x = device.Allocate<float>(n);
        x.CopyFrom([.. Enumerable.Range(0, n).Select(i => i * 0.001f)]);
        using var graph = stream.Capture(s =>
        {
            kernel.Launch(LaunchConfig.Linear(n), s, x.Pointer, 2000, n);
            kernel.Launch(LaunchConfig.Linear(n), s, x.Pointer, 4000, n);
        });
        using var exec = graph.Instantiate();
        exec.Launch(stream); // warm-up outside the trace
        stream.Synchronize();

        using var trace = CuptiKernelTrace.Start();
        ulong before = CuptiKernelTrace.Now();
        exec.Launch(stream);
        exec.Launch(stream);
        stream.Synchronize();
        ulong after = CuptiKernelTrace.Now();
        var (kernels, dropped) = trace.Stop();

        Assert.Equal(0, dropped);
        Assert.Equal(4, kernels.Count);
        Assert.All(kernels, k => Assert.Equal("trace_spin", k.Name));
        Assert.All(kernels, k => Assert.InRange(k.StartNs, before, after));
        Assert.All(kernels, k => Assert.InRange(k.EndNs, k.StartNs + 1, after));
        for (int i = 1; i < kernels.Count; i++)
            Assert.True(kernels[i].StartNs >= kernels[i - 1].EndNs, "one stream's kernels do not overlap without programmatic launch");
        // The second kernel of each replay spins twice as long as the first.
        Assert.True(kernels[1].Microseconds > 1.3 * kernels[0].Microseconds, $"{kernels[0].Microseconds} µs then {kernels[1].Microseconds} µs");
    }
}
