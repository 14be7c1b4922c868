using System.Text.Json;
using LlmBench.Engine;
using LlmBench.Engine.Api;
using LlmBench.Engine.Cuda;
using LlmBench.Engine.Loading;
using LlmBench.Engine.Scheduling;
using LlmBench.Gpu;

namespace LlmBench.Dev.EngineCheck;

/// <summary>
/// The accuracy of the fp8 variants (KV cache, layer weights, both) on a full-size model: for each prompt of reference_logits.json, the last-position
/// logits of each variant against the bf16 path and against transformers (cosine, top-1, top-5 overlap), and greedy
/// continuations of 64 tokens against the bf16 path's (tokens equal before the first difference, and in all).
/// </summary>
internal static class Fp8Check
{
    internal const int GreedyTokens = 64;

    public static int Run(string directory)
    {
        using var model = ModelDir.Load(directory);
        using var device = GpuDevice.Open(0);
        var baseline = new EngineOptions { MaxNumSeqs = 4, MaxNumBatchedTokens = 2048, MaxModelLen = 2048, KvCacheMemoryBytes = 1L << 30, EnforceEager = true };
        var fp8Gemm = new CudaExecutorSettings { Fp8Gemm = Fp8LargeStepGemm.Fp8 };
        (string Name, EngineOptions Options, CudaExecutorSettings? Settings)[] variants =
        [
            ("kv fp8, scales 1.0", baseline with { KvCacheDtype = KvCacheDtype.Fp8 }, null),
            ("kv fp8, calculated scales", baseline with { KvCacheDtype = KvCacheDtype.Fp8, CalculateKvScales = true }, null),
            ("weights fp8", baseline with { Quantization = WeightQuantization.Fp8 }, null),
            ("weights fp8, fp8 GEMM", baseline with { Quantization = WeightQuantization.Fp8 }, fp8Gemm),
            ("weights fp8, kv fp8 calc.", baseline with { Quantization = WeightQuantization.Fp8, KvCacheDtype = KvCacheDtype.Fp8, CalculateKvScales = true }, null),
        ];
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "reference_logits.json")));
        var cases = json.RootElement.GetProperty("cases").EnumerateArray()
            .Select(c => (Prompt: c.GetProperty("prompt_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                          Reference: c.GetProperty("last_logits").EnumerateArray().Select(e => e.GetSingle()).ToArray()))
            .ToArray();
        var bf16 = cases.Select(c => Variant(device, model, baseline, c.Prompt)).ToArray();
        for (int i = 0; i < cases.Length; i++)
            Console.WriteLine($"bf16 path, prompt {cases[i].Prompt.Length,5}: vs transformers cosine {RowCompare.Cosine(bf16[i].Logits, cases[i].Reference):F6} top-1 {RowCompare.Same(bf16[i].Logits, cases[i].Reference)}");
        foreach (var (name, options, settings) in variants)
        {
            for (int i = 0; i < cases.Length; i++)
            {
                var got = Variant(device, model, options, cases[i].Prompt, settings);
                if (i == 0 && got.Fp8Gemm is { } gemm)
                    Console.WriteLine($"{name}: steps above the GEMV sizes multiply fp8 weights by {gemm}");
                int prefix = got.Greedy.Zip(bf16[i].Greedy).TakeWhile(p => p.First == p.Second).Count();
                int equal = got.Greedy.Zip(bf16[i].Greedy).Count(p => p.First == p.Second);
                Console.WriteLine(
                    $"{name,-26} prompt {cases[i].Prompt.Length,5}: vs bf16 path cosine {RowCompare.Cosine(got.Logits, bf16[i].Logits):F6} top-1 {RowCompare.Same(got.Logits, bf16[i].Logits)} top-5 {RowCompare.Overlap(got.Logits, bf16[i].Logits)}/5 | " +
                    $"vs transformers cosine {RowCompare.Cosine(got.Logits, cases[i].Reference):F6} top-1 {RowCompare.Same(got.Logits, cases[i].Reference)} top-5 {RowCompare.Overlap(got.Logits, cases[i].Reference)}/5 | " +
                    $"greedy {GreedyTokens}: same first {prefix}, same in all {equal}");
            }
        }
        return 0;
    }

    /// <param name="Fp8Gemm">How the executor's large steps multiplied by fp8 weights (null: bf16 weights).</param>
    internal sealed record Outcome(float[] Logits, int[] Greedy, Fp8LargeStepGemm? Fp8Gemm);

    /// <summary>The prompt's last-position logits and its greedy continuation, on a fresh executor with these options.</summary>
    internal static Outcome Variant(GpuDevice device, LoadedModel model, EngineOptions options, int[] prompt, CudaExecutorSettings? settings = null)
    {
        using var executor = new CudaModelExecutor(device, model.Config, model.Weights, options, settings);

        var resolved = executor.Options;
        var scheduler = new Scheduler(resolved);
        var sequence = new Sequence("p", prompt, SamplingParams.Greedy(GreedyTokens, ignoreEos: true), 0, resolved.MaxModelLen!.Value);
        scheduler.Add(sequence);
        int vocab = model.Config.VocabSize;
        float[]? first = null;
        var tokens = new List<int>();
        while (scheduler.HasUnfinished)
        {
            var plan = scheduler.Schedule();
            var rows = new float[plan.NumSampled * vocab];
            executor.ExecuteForLogits(plan, rows);
            if (plan.NumSampled == 0)
                continue;
            first ??= rows[..vocab];
            int token = RowCompare.Top(rows[..vocab], 1)[0];
            tokens.Add(token);
            scheduler.CommitToken(sequence, token);
            if (tokens.Count >= GreedyTokens)
                scheduler.Finish(sequence, SequenceStatus.FinishedLength);
        }
        return new Outcome(first!, [.. tokens], executor.Fp8Gemm);
    }
}
