using LlmBench.Engine.Api;
using LlmBench.Engine.Scheduling;

namespace LlmBench.Engine.Cuda.Tests;

/// <summary>
/// Drives the real scheduler and an executor like the engine does, greedily, keeping each request's tokens and the
/// logits row each was chosen from (taken with ExecuteForLogits), or only the tokens the executor sampled itself.
/// </summary>
internal static class StepTrace
{
    public sealed record Result(int[] Tokens, float[][] Logits);

    public static Dictionary<string, Result> Run(IModelExecutor executor, EngineOptions resolved,
        IEnumerable<(string Id, int[] Prompt, int MaxTokens)> requests, bool keepLogits, Action<Scheduler>? afterStep = null)
    {
        var scheduler = new Scheduler(resolved);
        var sequences = new List<Sequence>();
        var logits = new Dictionary<string, List<float[]>>();
        foreach (var (id, prompt, maxTokens) in requests)
        {
            var sequence = new Sequence(id, prompt, SamplingParams.Greedy(maxTokens, ignoreEos: true), 0, resolved.MaxModelLen!.Value);
            scheduler.Add(sequence);
            sequences.Add(sequence);
            logits[id] = [];
        }
        int vocab = executor.Model.VocabSize;
        while (scheduler.HasUnfinished)
        {
            var plan = scheduler.Schedule();
            var sampled = new int[plan.NumSampled];
            if (keepLogits)
            {
                var rows = new float[plan.NumSampled * vocab];
                executor.ExecuteForLogits(plan, rows);
                for (int r = 0; r < sampled.Length; r++)
                    sampled[r] = Argmax(rows.AsSpan(r * vocab, vocab));
                int ordinal = 0;
                foreach (var entry in plan.Entries.Where(e => e.Sample))
                    logits[entry.RequestId].Add(rows.AsSpan(ordinal++ * vocab, vocab).ToArray());
            }
            else
            {
                executor.Execute(plan, sampled, new LlmBench.Engine.Api.TokenLogprobs?[sampled.Length]);
            }
            int next = 0;
            foreach (var entry in plan.Entries.Where(e => e.Sample))
            {
                scheduler.CommitToken(entry.Sequence, sampled[next++]);
                if (entry.Sequence.NumOutputTokens >= entry.Sampling.MaxTokens || entry.Sequence.IsAtCapacity)
                    scheduler.Finish(entry.Sequence, SequenceStatus.FinishedLength);
            }
            afterStep?.Invoke(scheduler);
        }
        return sequences.ToDictionary(s => s.RequestId, s => new Result(s.OutputIds.ToArray(), [.. logits[s.RequestId]]));
    }

    public static int Argmax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int i = 1; i < row.Length; i++)
        {
            if (row[i] > row[best])
                best = i;
        }
        return best;
    }
}
