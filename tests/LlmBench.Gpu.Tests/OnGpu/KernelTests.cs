using LlmBench.Gpu.Compilation;
using LlmBench.Gpu.Kernels;
using LlmBench.Gpu.Numerics;

namespace LlmBench.Gpu.Tests.OnGpu;

[Collection(GpuCollection.Name)]
public class KernelTests(GpuFixture gpu)
{
    private const string Saxpy = """
        extern "C" __global__ void saxpy(float* y, const float* x, float a, long long n)
        {
            long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) y[i] = a * x[i] + y[i];
        }
        """;

    [Fact]
    public void ACompiledKernel_ComputesWhatTheCpuComputes()
    {
        var (device, compiler) = gpu.SkipUnlessGpu();
        const int n = 100_003; // not a multiple of the block size
        var random = new Random(11);
        var x = Enumerable.Range(0, n).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var y = Enumerable.Range(0, n).Select(_ => (float)random.NextDouble() * 3).ToArray();
        using var module = compiler.Load(new KernelSource("saxpy.cu", Saxpy));
        using var stream = device.CreateStream();
        using var dx = device.Allocate<float>(n);
        using var dy = device.Allocate<float>(n);
        dx.CopyFrom(x);
        dy.CopyFrom(y);

        module.GetKernel("saxpy").Launch(LaunchConfig.Linear(n), stream, dy.Pointer, dx.Pointer, 2.5f, (long)n);
        stream.Synchronize();

        var result = dy.ToArray();
        for (var i = 0; i < n; i++)
            Assert.Equal(MathF.FusedMultiplyAdd(2.5f, x[i], y[i]), result[i]); // the GPU contracts a*x+y into one FMA
    }

    [Fact]
    public void ASecondCompiler_FindsTheCubinInTheCache()
    {
        var (device, compiler) = gpu.SkipUnlessGpu();
        var source = new KernelSource("saxpy_cached.cu", Saxpy);
        compiler.Compile(source);
        var again = new KernelCompiler(device, compiler.Cache);
        using var module = again.Load(source);
        Assert.Equal(1, again.CacheHits);
        Assert.Equal(0, again.Compilations);
        Assert.Single(Directory.GetFiles(compiler.Cache.Directory, $"saxpy_cached-{compiler.Target.Architecture}-*"));
        if (device.Info.ComputeCapability.Major == 9)
            Assert.Equal("sm_90a", compiler.Target.Architecture);
    }

    [Fact]
    public void AFailingCompile_ReportsNvrtcsLog()
    {
        var (_, compiler) = gpu.SkipUnlessGpu();
        var broken = new KernelSource("broken.cu", "extern \"C\" __global__ void k(float* x) { x[0] = undefined_name; }");
        var error = Assert.Throws<KernelCompileException>(() => compiler.Compile(broken));
        Assert.Contains("undefined_name", error.Log, StringComparison.Ordinal);
        Assert.Contains("error", error.Log, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("broken.cu", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RandomFill_IsUniformReproducibleAndSeeded()
    {
        var (device, compiler) = gpu.SkipUnlessGpu();
        const int n = 1 << 20;
        using var fill = new RandomFill(compiler, device);
        using var stream = device.CreateStream();
        using var a = device.Allocate<BFloat16>(n);
        using var b = device.Allocate<BFloat16>(n);
        fill.Uniform(stream, a.View, seed: 5);
        fill.Uniform(stream, b.View, seed: 6);
        stream.Synchronize();
        var values = a.ToArray().Select(v => v.ToSingle()).ToArray();

        Assert.All(values, v => Assert.InRange(v, -1f, 1f));
        Assert.InRange(values.Average(), -0.01, 0.01);
        Assert.InRange(Math.Sqrt(values.Average(v => (double)v * v)), 0.56, 0.59); // uniform(-1, 1): 1/sqrt(3)
        Assert.NotEqual(values.Take(64), b.ToArray().Take(64).Select(v => v.ToSingle()));
        fill.Uniform(stream, b.View, seed: 5);
        stream.Synchronize();
        Assert.Equal(a.ToArray(), b.ToArray());
    }

    [Fact]
    public void BandwidthKernels_SumAndCopyExactly()
    {
        var (device, compiler) = gpu.SkipUnlessGpu();
        const int n = 4 * 250_001;
        var random = new Random(3);
        var data = Enumerable.Range(0, n).Select(_ => (float)random.NextDouble()).ToArray();
        using var kernels = new BandwidthKernels(compiler, device);
        using var stream = device.CreateStream();
        using var source = device.Allocate<float>(n);
        using var copy = device.Allocate<float>(n);
        using var sum = device.Allocate<float>(1);
        source.CopyFrom(data);
        stream.Fill32Async(copy.View, 0x7FC00000); // poison with NaN: every element must be written
        stream.FillBytesAsync(sum.View, 0);
        kernels.ReadReduce(stream, source.View, sum.View);
        kernels.Copy(stream, copy.View, source.View);
        stream.Synchronize();

        var expected = data.Sum(v => (double)v);
        Assert.InRange(Math.Abs(sum.ToArray()[0] - expected) / expected, 0, 1e-4);
        Assert.Equal(data, copy.ToArray());
    }

    [Fact]
    public void Events_TimeGpuWork()
    {
        var (device, compiler) = gpu.SkipUnlessGpu();
        using var fill = new RandomFill(compiler, device);
        using var stream = device.CreateStream();
        using var buffer = device.Allocate<float>(1 << 24);
        using var start = device.CreateEvent();
        using var end = device.CreateEvent();
        start.Record(stream);
        fill.Uniform(stream, buffer.View, 1);
        end.Record(stream);
        Assert.InRange(CudaEvent.ElapsedMilliseconds(start, end), 0.001f, 1000f);
    }
}
