using System.Text.Json;
using LlmBench.Engine;
using LlmBench.Gpu;

namespace LlmBench.Dev.EngineCheck;

/// <summary>
/// An fp8 block-scaled checkpoint (make_fp8_checkpoint.py's /tmp/q3fp8) against the bf16 model it was made from (/tmp/q3):
/// for each prompt of the bf16 model's reference_logits.json, the last-position logits and 64 greedy tokens of the fp8
/// checkpoint run with --quantization auto (fp8 weights, block scales re-quantized per row), none (dequantized to bf16),
/// and of the bf16 model with --quantization fp8 (per-row from bf16), each against the bf16 model's bf16 path (cosine,
/// top-1, top-5) and against transformers on the fp8 checkpoint's dequantized weights (the checkpoint's
/// reference_logits.json).
/// </summary>
internal static class Fp8CheckpointCheck
{
    public static int Run(string fp8Directory, string bf16Directory)
    {
        using var fp8Model = ModelDir.Load(fp8Directory);
        using var bf16Model = ModelDir.Load(bf16Directory);
        if (fp8Model.Config.Quantization is null)
            throw new UserErrorException($"{fp8Directory} is not an fp8 checkpoint (its config.json has no quantization_config).");
        using var device = GpuDevice.Open(0);
        var options = new EngineOptions { MaxNumSeqs = 4, MaxNumBatchedTokens = 2048, MaxModelLen = 2048, KvCacheMemoryBytes = 1L << 30, EnforceEager = true };
        var prompts = ReadCases(Path.Combine(bf16Directory, "reference_logits.json")).Select(c => c.Prompt).ToArray();
        var dequantizedReference = ReadCases(Path.Combine(fp8Directory, "reference_logits.json")).Select(c => c.Logits).ToArray();
        Console.WriteLine($"{fp8Directory}: {fp8Model.Description}");
        var bf16 = prompts.Select(p => Fp8Check.Variant(device, bf16Model, options with { Quantization = WeightQuantization.None }, p)).ToArray();
        (string Name, Engine.Loading.LoadedModel Model, EngineOptions Options)[] variants =
        [
            ("fp8 ckpt, auto", fp8Model, options),
            ("fp8 ckpt, --quantization none", fp8Model, options with { Quantization = WeightQuantization.None }),
            ("bf16 model, --quantization fp8", bf16Model, options with { Quantization = WeightQuantization.Fp8 }),
        ];
        bool ok = true;
        foreach (var (name, model, variantOptions) in variants)
        {
            using (var probe = new Engine.Cuda.CudaModelExecutor(device, model.Config, model.Weights, variantOptions with { MaxNumSeqs = 1, MaxNumBatchedTokens = 16, MaxModelLen = 16, KvCacheMemoryBytes = 1L << 24 }))
                Console.WriteLine($"{name}: runs with quantization {probe.Options.Quantization}");
            for (int i = 0; i < prompts.Length; i++)
            {
                var got = Fp8Check.Variant(device, model, variantOptions, prompts[i]);
                int prefix = got.Greedy.Zip(bf16[i].Greedy).TakeWhile(p => p.First == p.Second).Count();
                double cosine = RowCompare.Cosine(got.Logits, bf16[i].Logits);
                ok &= cosine >= 0.99;
                Console.WriteLine(
                    $"{name,-30} prompt {prompts[i].Length,5}: vs bf16 path cosine {cosine:F6} top-1 {RowCompare.Same(got.Logits, bf16[i].Logits)} top-5 {RowCompare.Overlap(got.Logits, bf16[i].Logits)}/5 | " +
                    $"vs transformers on the dequantized fp8 weights cosine {RowCompare.Cosine(got.Logits, dequantizedReference[i]):F6} top-1 {RowCompare.Same(got.Logits, dequantizedReference[i])} top-5 {RowCompare.Overlap(got.Logits, dequantizedReference[i])}/5 | " +
                    $"greedy {Fp8Check.GreedyTokens}: same first {prefix}");
            }
        }
        return ok ? 0 : 1;
    }

    private static (int[] Prompt, float[] Logits)[] ReadCases(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return [.. json.RootElement.GetProperty("cases").EnumerateArray()
            .Select(c => (c.GetProperty("prompt_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                          c.GetProperty("last_logits").EnumerateArray().Select(e => e.GetSingle()).ToArray()))];
    }
}
