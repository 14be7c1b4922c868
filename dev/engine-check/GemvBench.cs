using LlmBench.Gpu;
using LlmBench.Gpu.Blas;
using LlmBench.Gpu.Compilation;
using LlmBench.Gpu.Kernels;
using LlmBench.Gpu.Numerics;
using LlmBench.Gpu.Peak;
using LlmBench.Kernels;

namespace LlmBench.Dev.EngineCheck;

/// <summary>
/// Qwen3-0.6B's linear layers at 1–8 tokens: cuBLASLt against gemv.cu (each rows-per-CTA choice, and the chosen one
/// with programmatic launch), plus the small kernels between them. Each figure is a CUDA graph of launches that walk
/// through distinct weight copies (hundreds of MB, so nothing stays in L2), replayed; median µs per launch.
/// </summary>
internal static class GemvBench
{
    private sealed record Shape(string Name, int In, int Out, bool SwiGlu = false)
    {
        public long WeightElements => (long)(SwiGlu ? 2 : 1) * Out * In;
    }

    private static readonly Shape[] Shapes =
    [
        new("qkv", 1024, 4096),
        new("o_proj", 2048, 1024),
        new("gate_up+silu", 1024, 3072, SwiGlu: true),
        new("down", 3072, 1024),
        new("lm_head", 1024, 151936),
    ];

    public static int Run()
    {
        using var device = GpuDevice.Open(0);
        using var stream = device.CreateStream();
        var cache = new CubinCache(Path.Combine(Path.GetTempPath(), "llmbench-gemv-bench"));
        var compiler = new KernelCompiler(device, cache);
        using var fill = new RandomFill(compiler, device);
        using var blas = CublasLtContext.Create(device);
        var timer = new EventTimer(device, stream) { MinSampleMilliseconds = 2 };
        Console.WriteLine($"{device.Info.Name}, {device.Info.MultiprocessorCount} SMs; µs per launch (GB/s of weights)");
        foreach (var shape in Shapes)
            BenchShape(device, stream, compiler, fill, blas, timer, shape);
        SmallKernels(device, stream, compiler, fill, timer);
        return 0;
    }

    private static void BenchShape(GpuDevice device, CudaStream stream, KernelCompiler compiler, RandomFill fill, CublasLtContext blas, EventTimer timer, Shape shape)
    {
        long bytes = 2 * shape.WeightElements;
        int copies = (int)Math.Clamp(600_000_000 / bytes, 2, 28);
        int launches = Math.Max(copies, 8);
        using var weights = device.Allocate<BFloat16>(copies * shape.WeightElements);
        using var x = device.Allocate<BFloat16>(8L * shape.In);
        using var y = device.Allocate<BFloat16>(8L * 2 * shape.Out);
        using var act = device.Allocate<BFloat16>(8L * shape.Out);
        fill.Uniform(stream, weights.View, 1, -0.05f, 0.05f);
        fill.Uniform(stream, x.View, 2);
        using var gemv = new GemvKernels(compiler, shape.In, shape.SwiGlu);
        using var silu = shape.SwiGlu ? new SiluMulKernel(compiler, shape.Out) : null;
        DeviceSpan<BFloat16> Weight(int i) => weights.View.Slice(i % copies * shape.WeightElements, shape.WeightElements);

        foreach (var tokens in new[] { 1, 2, 4, 8 })
        {
            var line = new List<string>();
            void Time(string label, bool programmatic, Action<CudaStream, int> launch)
            {
                double us = PerLaunchMicroseconds(stream, timer, launches, programmatic, launch);
                line.Add($"{label} {us:F2} ({bytes / us / 1e3:F0})");
            }
            using (var plan = GemmPlan.Create(blas, GemmShape.ForLinear(tokens, shape.In, (shape.SwiGlu ? 2 : 1) * shape.Out), GemmDataType.Bf16))
            {
                stream.Synchronize();
                Time("cublas", false, (s, i) => plan.Run(s, Weight(i).Pointer, x.Pointer, y.Pointer));
                if (silu is not null)
                {
                    Time("cublas+silu", false, (s, i) =>
                    {
                        plan.Run(s, Weight(i).Pointer, x.Pointer, y.Pointer);
                        silu.Run(s, y, act, tokens);
                    });
                }
            }
            foreach (var rows in new[] { 1, 2, 4 })
                Time($"gemv r{rows}", false, (s, i) => Gemv(gemv, shape, s, Weight(i), x, y, tokens, rows));
            int chosen = GemvKernels.ChooseRowsPerBlock(tokens);
            Time($"gemv r{chosen} pdl", true, (s, i) => Gemv(gemv, shape, s, Weight(i), x, y, tokens, chosen));
            Console.WriteLine($"{shape.Name} K={shape.In} N={shape.Out} M={tokens}: {string.Join(" | ", line)}");
        }
    }

    private static void Gemv(GemvKernels gemv, Shape shape, CudaStream stream, DeviceSpan<BFloat16> weight, DeviceSpan<BFloat16> x, DeviceSpan<BFloat16> y, int tokens, int rows)
    {
        if (shape.SwiGlu)
            gemv.RunSwiGlu(stream, weight, x, y, shape.Out, tokens, rows);
        else
            gemv.Run(stream, weight, x, y, shape.Out, tokens, rows);
    }

    /// <summary>The per-layer kernels at one token, 28 in a row, plain and with programmatic launch.</summary>
    private static void SmallKernels(GpuDevice device, CudaStream stream, KernelCompiler compiler, RandomFill fill, EventTimer timer)
    {
        const int Hidden = 1024, Inter = 3072;
        using var norms = new RmsNormKernels(compiler, Hidden);
        using var silu = new SiluMulKernel(compiler, Inter);
        using var a = device.Allocate<BFloat16>(8 * Hidden);
        using var b = device.Allocate<BFloat16>(8 * Hidden);
        using var w = device.Allocate<BFloat16>(Hidden);
        using var o = device.Allocate<BFloat16>(8 * Hidden);
        using var gateUp = device.Allocate<BFloat16>(8 * 2 * Inter);
        using var act = device.Allocate<BFloat16>(8 * Inter);
        foreach (var buffer in new[] { a, b, w, gateUp })
            fill.Uniform(stream, buffer.View, 3, 0.5f, 1.5f);
        var line = new List<string>();
        foreach (var programmatic in new[] { false, true })
        {
            string tag = programmatic ? " pdl" : "";
            line.Add($"rmsnorm_fused_add{tag} {PerLaunchMicroseconds(stream, timer, 28, programmatic, (s, _) => norms.AddAndNormalize(s, a, b, w, o, 1, 1e-6f)):F2}");
            line.Add($"silu_mul{tag} {PerLaunchMicroseconds(stream, timer, 28, programmatic, (s, _) => silu.Run(s, gateUp, act, 1)):F2}");
        }
        Console.WriteLine($"small kernels, 1 token, µs per launch: {string.Join(" | ", line)}");
    }

    private static double PerLaunchMicroseconds(CudaStream stream, EventTimer timer, int launches, bool programmatic, Action<CudaStream, int> launch)
    {
        using var graph = stream.Capture(s =>
        {
            for (int i = 0; i < launches; i++)
            {
                // The first launch follows the previous replay's last kernel across a graph boundary: keep it plain.
                s.ProgrammaticDependentLaunch = programmatic && i > 0;
                launch(s, i);
            }
            s.ProgrammaticDependentLaunch = false;
        });
        using var exec = graph.Instantiate();
        double ms = timer.MedianMilliseconds(s => exec.Launch(s));
        return ms * 1000 / launches;
    }
}
