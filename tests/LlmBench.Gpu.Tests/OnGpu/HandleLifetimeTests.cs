using LlmBench.Gpu.Blas;
using LlmBench.Gpu.Compilation;

namespace LlmBench.Gpu.Tests.OnGpu;

[Collection(GpuCollection.Name)]
public class HandleLifetimeTests(GpuFixture gpu)
{
    private const string AddOne = """
        extern "C" __global__ void add_one(float* x, int n)
        {
            int i = blockIdx.x * blockDim.x + threadIdx.x;
            if (i < n) x[i] += 1.0f;
        }
        """;

    [Fact]
    public void EveryHandle_IsCreatedUsedAndDisposed()
    {
        var (device, compiler) = gpu.SkipUnlessGpu();
        using var second = GpuDevice.Open(0); // a second retain of the primary context
        var buffer = device.Allocate<float>(1024);
        var pinned = device.AllocatePinned<float>(1024);
        var stream = device.CreateStream();
        var start = device.CreateEvent();
        var end = device.CreateEvent(timing: false);
        var module = compiler.Load(new KernelSource("add_one.cu", AddOne));
        var kernel = module.GetKernel("add_one");
        var graph = stream.Capture(s => kernel.Launch(LaunchConfig.Linear(1024), s, buffer.Pointer, 1024));
        var exec = graph.Instantiate();
        var blas = CublasLtContext.Create(device);
        var plan = GemmPlan.Create(blas, new GemmShape(64, 64, 64), GemmDataType.Bf16);

        start.Record(stream);
        exec.Launch(stream);
        end.Record(stream);
        stream.Synchronize();

        IDisposable[] all = [plan, blas, exec, graph, module, end, start, stream, pinned, buffer, second];
        foreach (var item in all)
            item.Dispose();
        foreach (var item in all)
            item.Dispose(); // twice is harmless
        Assert.True(buffer.IsDisposed && pinned.IsDisposed && stream.IsDisposed && start.IsDisposed && end.IsDisposed);
        Assert.True(module.IsDisposed && graph.IsDisposed && exec.IsDisposed && second.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => buffer.Pointer);
        Assert.False(device.IsDisposed); // the first retain keeps the context alive
        Assert.Equal(2, device.Allocate<int>(2).Length);
    }

    [Fact]
    public void DeviceInfo_IsPlausible()
    {
        var (device, _) = gpu.SkipUnlessGpu();
        var info = device.Info;
        Assert.StartsWith("GPU-", info.Uuid, StringComparison.Ordinal);
        Assert.InRange(info.MultiprocessorCount, 1, 1000);
        Assert.True(info.TotalMemoryBytes > 1L << 30);
        Assert.True(info.IsSupported);
        var (free, total) = device.GetMemoryInfo();
        Assert.InRange(free, 1, total);
    }
}
