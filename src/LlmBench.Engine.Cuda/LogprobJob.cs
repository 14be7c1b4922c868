using LlmBench.Engine.Scheduling;

namespace LlmBench.Engine.Cuda;

/// <summary>One sampled row whose request asked for log probabilities: its sample ordinal and how many top tokens.</summary>
internal readonly record struct LogprobJob(int Sample, int Top)
{
    /// <summary>The plan's jobs in sample order; an empty array (no allocation) when no entry asked.</summary>
    public static LogprobJob[] Of(StepPlan plan)
    {
        int count = 0;
        foreach (var entry in plan.Entries)
            count += entry.Sample && entry.Sampling.Logprobs is not null ? 1 : 0;
        if (count == 0)
            return [];
        var jobs = new LogprobJob[count];
        int sample = 0, job = 0;
        foreach (var entry in plan.Entries)
        {
            if (!entry.Sample)
                continue;
            if (entry.Sampling.Logprobs is { } top)
                jobs[job++] = new LogprobJob(sample, top);
            sample++;
        }
        return jobs;
    }
}
