using LlmBench.Engine.Api;
using LlmBench.Engine.Cpu;
using LlmBench.Engine.Models;
using LlmBench.Engine.Sampling;
using LlmBench.Engine.Scheduling;
using LlmBench.Engine.Weights;

namespace LlmBench.Engine.Tests.Support;

/// <summary>
/// Drives the real Scheduler and CpuModelExecutor like the engine does, but keeps every logits row: for each
/// request, the greedy tokens and the logits each was chosen from.
/// </summary>
internal static class GreedyTrace
{
    public sealed record Result(int[] Tokens, float[][] Logits);

    public static EngineOptions Options(int maxNumSeqs = 8, int maxBatchedTokens = 512, int maxModelLen = 320, int? kvBlocks = null, int blockSize = 16) =>
        new()
        {
            MaxNumSeqs = maxNumSeqs,
            MaxNumBatchedTokens = maxBatchedTokens,
            MaxModelLen = maxModelLen,
            BlockSize = blockSize,
            KvCacheMemoryBytes = kvBlocks is null ? 64L << 20 : null,
        };

    /// <param name="kvBlocks">Fixes the cache size (to force preemption); null sizes it from the options.</param>
    public static Dictionary<string, Result> Run(ModelConfig model, ITensorSource weights, EngineOptions options,
        IEnumerable<(string Id, int[] Prompt, int MaxTokens)> requests, int? kvBlocks = null,
        CpuWeightFormat format = CpuWeightFormat.Bf16, Action<Scheduler>? afterStep = null)
    {
        var resolved = kvBlocks is { } blocks ? options.ResolveFor(model, blocks) : CpuEngine.Resolve(model, options);
        using var executor = new CpuModelExecutor(model, weights, resolved, format);
        var scheduler = new Scheduler(resolved);
        var logits = new Dictionary<string, List<float[]>>();
        var sequences = new List<Sequence>();
        foreach (var (id, prompt, maxTokens) in requests)
        {
            var sequence = new Sequence(id, prompt, SamplingParams.Greedy(maxTokens, ignoreEos: true), 0, resolved.MaxModelLen!.Value);
            scheduler.Add(sequence);
            sequences.Add(sequence);
            logits[id] = [];
        }
        int vocab = model.VocabSize;
        while (scheduler.HasUnfinished)
        {
            var plan = scheduler.Schedule();
            var rows = new float[plan.NumSampled * vocab];
            executor.ExecuteForLogits(plan, rows);
            int ordinal = 0;
            foreach (var entry in plan.Entries.Where(e => e.Sample))
            {
                var row = rows.AsSpan(ordinal++ * vocab, vocab).ToArray();
                logits[entry.RequestId].Add(row);
                scheduler.CommitToken(entry.Sequence, Sampler.Argmax(row));
                if (entry.Sequence.IsAtCapacity)
                    scheduler.Finish(entry.Sequence, SequenceStatus.FinishedLength);
            }
            afterStep?.Invoke(scheduler);
        }
        return sequences.ToDictionary(s => s.RequestId, s => new Result(s.OutputIds.ToArray(), [.. logits[s.RequestId]]));
    }

    public static float MaxAbsDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        float max = 0;
        for (int i = 0; i < a.Length; i++)
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }
}
