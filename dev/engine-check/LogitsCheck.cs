using System.Text.Json;
using LlmBench.Engine;
using LlmBench.Engine.Api;
using LlmBench.Engine.Cuda;
using LlmBench.Engine.Scheduling;
using LlmBench.Gpu;

namespace LlmBench.Dev.EngineCheck;

/// <summary>Our last-position logits for each prompt of reference_logits.json: cosine, top-1, top-5 overlap.</summary>
internal static class LogitsCheck
{
    public static int Run(string directory, string referenceFile = "reference_logits.json")
    {
        using var model = ModelDir.Load(directory);
        using var device = GpuDevice.Open(0);
        var options = new EngineOptions { MaxNumSeqs = 4, MaxNumBatchedTokens = 2048, MaxModelLen = 2048, KvCacheMemoryBytes = 1L << 30, EnforceEager = true };
        using var executor = new CudaModelExecutor(device, model.Config, model.Weights, options);
        using var chunked = new CudaModelExecutor(device, model.Config, model.Weights, options with { MaxNumBatchedTokens = 128 });
        using var cpu = new LlmBench.Engine.Cpu.CpuModelExecutor(model.Config, model.Weights, executor.Options);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, referenceFile)));
        bool ok = true;
        int vocab = model.Config.VocabSize;
        foreach (var c in json.RootElement.GetProperty("cases").EnumerateArray())
        {
            var prompt = c.GetProperty("prompt_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var reference = c.GetProperty("last_logits").EnumerateArray().Select(e => e.GetSingle()).ToArray();
            var logits = LastLogits(executor, prompt, vocab);
            double cosine = RowCompare.Cosine(logits, reference);
            var cpuLogits = LastLogits(cpu, prompt, vocab);
            Console.WriteLine($"prompt {prompt.Length,5}: vs CPU executor (fp32 activations): ours cosine {RowCompare.Cosine(logits, cpuLogits):F6}, transformers {RowCompare.Cosine(reference, cpuLogits):F6}; " +
                $"chunked by 128 vs whole: cosine {RowCompare.Cosine(LastLogits(chunked, prompt, vocab), logits):F6}");
            var ours = RowCompare.Top(logits, 5);
            var theirs = RowCompare.Top(reference, 5);
            int overlap = ours.Intersect(theirs).Count();
            bool pass = cosine >= 0.999 && ours[0] == theirs[0] && overlap >= 4;
            ok &= pass;
            Console.WriteLine($"prompt {prompt.Length,5} vs {referenceFile}: cosine {cosine:F6}  top-1 {ours[0]} vs {theirs[0]}  top-5 overlap {overlap}/5  {(pass ? "PASS" : "FAIL")}");
        }
        return ok ? 0 : 1;
    }

    /// <summary>The logits after the prompt's last token, the prompt fed in as many steps as the executor's options allow.</summary>
    internal static float[] LastLogits(IModelExecutor executor, int[] prompt, int vocab)
    {
        var options = executor is CudaModelExecutor gpu ? gpu.Options : new EngineOptions { MaxNumSeqs = 4, MaxNumBatchedTokens = 2048, MaxModelLen = 2048, NumKvBlocks = executor.NumKvBlocks };
        var scheduler = new Scheduler(options);
        var sequence = new Sequence("p", prompt, SamplingParams.Greedy(1, ignoreEos: true), 0, options.MaxModelLen!.Value);
        scheduler.Add(sequence);
        var logits = new float[vocab];
        while (true)
        {
            var plan = scheduler.Schedule();
            var rows = new float[plan.NumSampled * vocab];
            executor.ExecuteForLogits(plan, rows);
            if (plan.NumSampled > 0)
            {
                rows.AsSpan(0, vocab).CopyTo(logits);
                scheduler.Finish(sequence, SequenceStatus.FinishedLength);
                return logits;
            }
        }
    }
}
