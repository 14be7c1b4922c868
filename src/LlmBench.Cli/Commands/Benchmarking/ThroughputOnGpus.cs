using LlmBench.Benchmarks.Results;
using LlmBench.Benchmarks.Running;
using LlmBench.Benchmarks.Workloads;
using LlmBench.Reports.Offline;
using LlmBench.Reports.Results;

namespace LlmBench.Cli;

/// <summary>
/// `throughput --gpus`: one engine per GPU, each on its own thread, every one loaded before any starts; then the same
/// requests on all of them at once. Gives each GPU's result and their combination (<see cref="ThroughputAcrossGpus"/>).
/// </summary>
internal static class ThroughputOnGpus
{
    public static async Task<ThroughputResult> RunAsync(EngineSpec spec, IReadOnlyList<int> ordinals, string workloadName, IReadOnlyList<WorkloadRequest> requests,
        float temperature, ulong seed, ResultConfiguration configuration, CancellationToken cancellationToken)
    {
        var jobs = ordinals.Select(_ => new ThroughputJob()).ToArray();
        var workers = ordinals.Select((ordinal, i) => new EngineWorker<OfflineMeasurement>($"llmbench-throughput-{ordinal}", spec with { Device = $"cuda:{ordinal}" },
            opened => jobs[i].Run(opened, temperature, seed, cancellationToken))).ToArray();
        OpenedEngine[] opened;
        try
        {
            opened = await Task.WhenAll(workers.Select(w => w.Opened));
        }
        catch
        {
            foreach (var worker in workers)
                worker.Abandon();
            throw;
        }

        foreach (var engine in opened)
            BenchmarkConsole.Announce(engine);
        var maxModelLength = opened.Min(o => o.Engine.MaxModelLength);
        int longestPrompt = requests.Count == 0 ? 0 : requests.Max(r => r.PromptIds.Length);
        if (workloadName == "random" && longestPrompt >= maxModelLength)
        {
            foreach (var worker in workers)
                worker.Abandon();
            throw new UserErrorException($"--input-len gives prompts of up to {longestPrompt} tokens, but the model length is {maxModelLength} (prompt and output together); lower --input-len or raise --max-model-len.");
        }

        var fit = new WorkloadFit(opened[0].Model.Config.VocabSize, maxModelLength);
        var fitted = fit.Apply(requests);
        BenchmarkConsole.AnnounceFit(fit);
        foreach (var job in jobs)
            job.Requests = fitted;
        configuration = configuration with { EngineOptions = EngineOptionsDescription.Of(spec, opened[0]) };
        foreach (var worker in workers)
            worker.Go();
        var all = Task.WhenAll(workers.Select(w => w.Completion));
        await BenchmarkConsole.ShowProgressAsync(all, () => jobs.Sum(j => j.Completed), fitted.Count * jobs.Length);
        var measurements = await all;

        var perGpu = measurements.Select((m, i) => ThroughputResults.Build(workloadName, temperature, fitted, fit, m, opened[i].UnderTest, configuration)).ToArray();
        return ThroughputAcrossGpus.Combine(perGpu, measurements);
    }
}
