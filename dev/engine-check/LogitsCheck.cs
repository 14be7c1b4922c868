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
    public static int Run(string directory)
    {
        using var model = ModelDir.Load(directory);
        using var device = GpuDevice.Open(0);
        var options = new EngineOptions { MaxNumSeqs = 4, MaxNumBatchedTokens = 2048, MaxModelLen = 2048, KvCacheMemoryBytes = 1L << 30, EnforceEager = true };
        using var executor = new CudaModelExecutor(device, model.Config, model.Weights, options);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "reference_logits.json")));
        bool ok = true;
        int vocab = model.Config.VocabSize;
        foreach (var c in json.RootElement.GetProperty("cases").EnumerateArray())
        {
            var prompt = c.GetProperty("prompt_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var reference = c.GetProperty("last_logits").EnumerateArray().Select(e => e.GetSingle()).ToArray();
            var scheduler = new Scheduler(executor.Options);
            scheduler.Add(new Sequence("p", prompt, SamplingParams.Greedy(1, ignoreEos: true), 0, executor.Options.MaxModelLen!.Value));
            var plan = scheduler.Schedule();
            var logits = new float[vocab];
            executor.ExecuteForLogits(plan, logits);
            double cosine = Cosine(logits, reference);
            var ours = Top(logits, 5);
            var theirs = Top(reference, 5);
            int overlap = ours.Intersect(theirs).Count();
            bool pass = cosine >= 0.999 && ours[0] == theirs[0] && overlap >= 4;
            ok &= pass;
            Console.WriteLine($"prompt {prompt.Length,5}: cosine {cosine:F6}  top-1 {ours[0]} vs {theirs[0]}  top-5 overlap {overlap}/5  {(pass ? "PASS" : "FAIL")}");
        }
        return ok ? 0 : 1;
    }

    private static int[] Top(float[] row, int k) =>
        Enumerable.Range(0, row.Length).OrderByDescending(i => row[i]).ThenBy(i => i).Take(k).ToArray();

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }
        return dot / Math.Sqrt(na * nb);
    }
}
