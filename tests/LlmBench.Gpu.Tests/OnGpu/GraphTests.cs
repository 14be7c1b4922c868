using LlmBench.Gpu.Compilation;
using LlmBench.Gpu.Peak;

namespace LlmBench.Gpu.Tests.OnGpu;

[Collection(GpuCollection.Name)]
public class GraphTests(GpuFixture gpu)
{
    private const string AddScalar = """
        extern "C" __global__ void add_scalar(float* x, float value, int n)
        {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) x[i] += value;
        }
        """;

    [Fact]
    public void ACapturedGraph_ReplaysItsWork_AndTakesNewArgumentsByUpdate()
    {
        var (device, compiler) = gpu.SkipUnlessGpu();
        const int n = 5000;
        var random = new Random(5);
        var start = Enumerable.Range(0, n).Select(_ => (float)random.NextDouble()).ToArray();
        using var module = compiler.Load(new KernelSource("add_scalar.cu", AddScalar));
        var kernel = module.GetKernel("add_scalar");
        using var stream = device.CreateStream();
        using var x = device.Allocate<float>(n);
        x.CopyFrom(start);

        void Enqueue(CudaStream s, float value, int launches)
        {
            for (var i = 0; i < launches; i++)
                kernel.Launch(LaunchConfig.Linear(n), s, x.Pointer, value, n);
        }

        using var graph = stream.Capture(s => Enqueue(s, 1f, 3));
        Assert.Equal(3, graph.NodeCount);
        stream.Synchronize();
        Assert.Equal(start, x.ToArray()); // capture records, it does not run

        using var exec = graph.Instantiate();
        exec.Launch(stream);
        exec.Launch(stream);
        stream.Synchronize();
        AssertAdded(start, x.ToArray(), [1f, 1f, 1f, 1f, 1f, 1f]);

        using var sameShape = stream.Capture(s => Enqueue(s, 2f, 3));
        Assert.True(exec.TryUpdate(sameShape));
        exec.Launch(stream);
        stream.Synchronize();
        AssertAdded(start, x.ToArray(), [1f, 1f, 1f, 1f, 1f, 1f, 2f, 2f, 2f]);

        using var otherShape = stream.Capture(s => Enqueue(s, 2f, 2));
        Assert.False(exec.TryUpdate(otherShape));
    }

    [Fact]
    public void ACaptureThatThrows_LeavesTheStreamUsable()
    {
        var (device, _) = gpu.SkipUnlessGpu();
        using var stream = device.CreateStream();
        Assert.Throws<InvalidOperationException>(() => stream.Capture(_ => throw new InvalidOperationException("boom")));
        using var buffer = device.Allocate<int>(4);
        stream.FillBytesAsync(buffer.View, 1);
        stream.Synchronize();
        Assert.All(buffer.ToArray(), v => Assert.Equal(0x01010101, v));
    }

    [Fact]
    public void PeakBenchmark_GivesPlausibleFigures()
    {
        var (device, compiler) = gpu.SkipUnlessGpu();
        var options = new PeakOptions { Sizes = [1024], DataTypes = [Blas.GemmDataType.Bf16, Blas.GemmDataType.Fp8E4M3], BandwidthBufferBytes = 256L << 20, Samples = 3 };
        var report = new PeakBenchmark(device, compiler).Run(options);
        Assert.InRange(report.CopyBytesPerSecond!.Value, 50e9, 20e12);
        Assert.InRange(report.ReadBytesPerSecond!.Value, 50e9, 20e12);
        Assert.InRange(report.BestTflops(Blas.GemmDataType.Bf16)!.Value, 1, 5000);
        Assert.Equal(device.Info.Uuid, report.ToCeilings("test").GpuUuid);
    }

    // Repeats the GPU's additions one by one in float, so the comparison can be exact.
    private static void AssertAdded(float[] start, float[] actual, float[] additions)
    {
        for (var i = 0; i < start.Length; i++)
        {
            var expected = start[i];
            foreach (var addition in additions)
                expected += addition;
            Assert.Equal(expected, actual[i]);
        }
    }
}
