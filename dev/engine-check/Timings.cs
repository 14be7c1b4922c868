using System.Diagnostics;
using LlmBench.Engine;
using LlmBench.Engine.Api;
using LlmBench.Engine.Cuda;
using LlmBench.Gpu;

namespace LlmBench.Dev.EngineCheck;

/// <summary>
/// Wall-clock timings through the whole engine (scheduler, uploads, graphs, sampling, token readback):
/// the median decode step of one 128/128 sequence and of eight, and 256 × 128/128 end-to-end output tok/s.
/// </summary>
internal static class Timings
{
    public static int Run(string directory, bool eager, CudaExecutorSettings settings, bool batchOneOnly = false,
        WeightQuantization quantization = WeightQuantization.None)
    {
        using var model = ModelDir.Load(directory);
        var options = new EngineOptions { MaxNumSeqs = 256, MaxNumBatchedTokens = 8192, MaxModelLen = 1024, EnforceEager = eager, Quantization = quantization };
        var started = Stopwatch.StartNew();
        using var device = GpuDevice.Open(0);
        var executor = new CudaModelExecutor(device, model.Config, model.Weights, options, settings);
        using var engine = new LlmEngine(executor.Options, executor);
        Console.WriteLine($"{device.Info.Name}: start-up {started.Elapsed.TotalSeconds:F1} s (kernels {executor.CompileSeconds:F1} s; " +
            $"{(eager ? "eager" : $"{executor.CapturedGraphs} CUDA graphs")}, {(settings.Overlap ? "overlapped" : "synchronous")} steps, GEMM autotune {(settings.AutotuneGemms ? "on" : "off")}, max decode splits {settings.MaxDecodeSplits}, " +
            $"GEMV up to {settings.GemvMaxTokens} tokens, programmatic launch {(settings.ProgrammaticLaunch ? "on" : "off")}, norms folded into GEMVs {(settings.FuseNormsIntoGemv ? "on" : "off")}, norms after GEMVs {(settings.NormsAfterGemv ? "on" : "off")}, attention merged in its launch {(settings.MergeAttentionInLastCta ? "on" : "off")}, split sampling {(settings.SplitSampling ? "on" : "off")}, " +
            $"weights {quantization.DisplayName() ?? "bf16"}{(executor.Fp8Gemm is { } gemm ? $", large-step GEMMs {gemm}" : "")}), KV blocks {engine.Options.NumKvBlocks}");
        // Warm the JIT, every path and the GPU's clocks (a few hundred ms of full load) before measuring.
        Batch(engine, executor, 8, 64, 16);
        if (!batchOneOnly)
            Batch(engine, executor, 256, 128, 128);
        Batch(engine, executor, 1, 128, 128);
        var (steps, gpu) = Batch(engine, executor, 1, 128, 128);
        var decode = steps.Skip(1).Order().ToArray();
        var decodeGpu = gpu.Skip(1).Order().ToArray();
        Console.WriteLine($"bs 1 128/128: decode step median {decode[decode.Length / 2]:F3} ms (GPU {decodeGpu[decodeGpu.Length / 2]:F3} ms), " +
            $"p10 {decode[decode.Length / 10]:F3}, p90 {decode[decode.Length * 9 / 10]:F3}; first step (prefill) {steps[0]:F2} ms");
        var eight = Batch(engine, executor, 8, 128, 128).WallMs.Skip(1).Order().ToArray();
        Console.WriteLine($"bs 8 128/128: decode step median {eight[eight.Length / 2]:F3} ms");
        for (int run = 0; run < (batchOneOnly ? 0 : 2); run++)
        {
            var clock = Stopwatch.StartNew();
            var (batch, batchGpu) = Batch(engine, executor, 256, 128, 128);
            double seconds = clock.Elapsed.TotalSeconds;
            var sorted = batch.Order().ToArray();
            double idle = 1 - batchGpu.Sum() / batch.Sum();
            Console.WriteLine($"bs 256 128/128: end-to-end {256 * 128 / seconds:F0} output tok/s ({seconds:F3} s, {batch.Count} steps, " +
                $"median step {sorted[sorted.Length / 2]:F2} ms, GPU idle {idle:P1} of step time)");
        }
        Console.WriteLine($"GPU idle share over the whole run (EngineStats): {engine.Stats.GpuIdleShare:P1}");
        return 0;
    }

    /// <summary>Runs <paramref name="count"/> requests to completion; returns each step's wall time in ms.</summary>
    private static (List<double> WallMs, List<double> GpuMs) Batch(LlmEngine engine, CudaModelExecutor executor, int count, int promptTokens, int outputTokens)
    {
        var random = new Random(count);
        for (int i = 0; i < count; i++)
        {
            var prompt = Enumerable.Range(0, promptTokens).Select(_ => random.Next(150_000)).ToArray();
            engine.AddRequest(new GenerationRequest($"r{i}", prompt, SamplingParams.Greedy(outputTokens, ignoreEos: true)));
        }
        var times = new List<double>();
        var gpu = new List<double>();
        while (engine.HasUnfinishedRequests)
        {
            long start = Stopwatch.GetTimestamp();
            engine.Step();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            gpu.Add(executor.LastStepGpuMs);
        }
        return (times, gpu);
    }
}
