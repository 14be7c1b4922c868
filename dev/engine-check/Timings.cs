using System.Diagnostics;
using LlmBench.Engine;
using LlmBench.Engine.Api;
using LlmBench.Engine.Cuda;

namespace LlmBench.Dev.EngineCheck;

/// <summary>
/// Wall-clock timings through the whole engine (scheduler, uploads, graphs, sampling, token readback):
/// the median decode step of one 128/128 sequence, and 256 × 128/128 end-to-end output tok/s.
/// </summary>
internal static class Timings
{
    public static int Run(string directory, bool eager)
    {
        using var model = ModelDir.Load(directory);
        var options = new EngineOptions { MaxNumSeqs = 256, MaxNumBatchedTokens = 8192, MaxModelLen = 1024, EnforceEager = eager };
        var started = Stopwatch.StartNew();
        using var engine = CudaEngine.Create(model, options, 0, out var description);
        Console.WriteLine($"{description}: start-up {started.Elapsed.TotalSeconds:F1} s ({(eager ? "eager" : "CUDA graphs")}), KV blocks {engine.Options.NumKvBlocks}");
        Batch(engine, 8, 64, 16); // warm the JIT and every path once
        var steps = Batch(engine, 1, 128, 128);
        var decode = steps.Skip(1).Order().ToArray();
        Console.WriteLine($"bs 1 128/128: decode step median {decode[decode.Length / 2]:F3} ms, p10 {decode[decode.Length / 10]:F3}, p90 {decode[decode.Length * 9 / 10]:F3}; first step (prefill) {steps[0]:F2} ms");
        for (int run = 0; run < 2; run++)
        {
            var clock = Stopwatch.StartNew();
            var batch = Batch(engine, 256, 128, 128);
            double seconds = clock.Elapsed.TotalSeconds;
            var sorted = batch.Order().ToArray();
            Console.WriteLine($"bs 256 128/128: end-to-end {256 * 128 / seconds:F0} output tok/s ({seconds:F3} s, {batch.Count} steps, median step {sorted[sorted.Length / 2]:F2} ms)");
        }
        return 0;
    }

    /// <summary>Runs <paramref name="count"/> requests to completion; returns each step's wall time in ms.</summary>
    private static List<double> Batch(LlmEngine engine, int count, int promptTokens, int outputTokens)
    {
        var random = new Random(count);
        for (int i = 0; i < count; i++)
        {
            var prompt = Enumerable.Range(0, promptTokens).Select(_ => random.Next(150_000)).ToArray();
            engine.AddRequest(new GenerationRequest($"r{i}", prompt, SamplingParams.Greedy(outputTokens, ignoreEos: true)));
        }
        var times = new List<double>();
        while (engine.HasUnfinishedRequests)
        {
            long start = Stopwatch.GetTimestamp();
            engine.Step();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return times;
    }
}
