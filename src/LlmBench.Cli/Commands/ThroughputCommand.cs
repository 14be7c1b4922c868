using System.CommandLine;
using LlmBench.Benchmarks.Lockstep;
using LlmBench.Benchmarks.Results;
using LlmBench.Benchmarks.Running;
using LlmBench.Benchmarks.Workloads;
using LlmBench.Engine;
using LlmBench.Reports.Offline;
using LlmBench.Reports.Results;

namespace LlmBench.Cli;

/// <summary>
/// `llmbench throughput`: the offline benchmark, as `vllm bench throughput` runs it: every request queued at once,
/// timed from the first send to the last completion (prefill included), after one short uncounted warm-up. --gpus runs
/// the same requests on one engine per GPU at once.
/// </summary>
internal static class ThroughputCommand
{
    private static readonly EngineFlags Engine = new(EngineDefaults.Standard);
    private static readonly BackendFlags Backends = new(allowList: false);
    private static readonly Option<string?> Preset = new("--preset") { Description = "nano: nano-vllm's bench.py workload (256 sequences, Σ prompt 142,827, Σ output 133,966, temperature 0.6)." };
    private static readonly Option<int?> NumPrompts = new("--num-prompts") { Description = "Requests of the random workload (default 1000)." };
    private static readonly Option<int?> InputLen = new("--input-len") { Description = "Prompt tokens per request (default 1024)." };
    private static readonly Option<int?> OutputLen = new("--output-len") { Description = "Output tokens per request, EOS ignored (default 128)." };
    private static readonly Option<double?> RandomRangeRatio = new("--random-range-ratio") { Description = "Lengths uniform in [len·(1−r), len·(1+r)] (default 0)." };
    private static readonly Option<string?> Gpus = GpuList.CreateOption();
    private static readonly Option<string?> OutputJson = new("--output-json") { Description = "Where to save the JSON result; the CSV and Markdown go beside it (default: results/throughput-<model>-<date>.json)." };

    public static Command Create()
    {
        var command = new Command("throughput",
            "Offline throughput: queue a batch of requests at once and measure requests/s, output and total tok/s, TTFT/TPOT " +
            "percentiles, peak KV usage, preemptions and the fraction of the memory-bandwidth floor. Latencies use vLLM's definitions: " +
            "TTFT = first token − send, TPOT = (E2EL − TTFT) / (output tokens − 1), E2EL = last token − send. --backend hf, hf-compile or openai runs " +
            "the same requests on another framework in static batches of --max-num-seqs, one after another.");
        Engine.AddTo(command);
        Backends.AddTo(command);
        Option[] options = [Preset, NumPrompts, InputLen, OutputLen, RandomRangeRatio, Gpus, OutputJson];
        foreach (var option in options)
            command.Options.Add(option);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(token => RunAsync(parse, token), ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult p, CancellationToken cancellationToken)
    {
        var (name, requests, temperature) = Workload(p);
        var seed = Engine.SeedOf(p);
        var backend = Backends.Parse(p, p.GetValue(Engine.EnforceEager))[0];
        var ours = backend is "llmbench" or "llmbench-eager";
        GpuList.RefuseWith(p.GetValue(Gpus), backend);
        var gpuOrdinals = GpuList.Resolve(p.GetValue(Gpus));
        if (!ours)
            return await RunStaticBatchesAsync(p, backend, name, requests, seed, cancellationToken);
        var spec = Engine.Bind(p);
        if (backend == "llmbench-eager")
            spec = spec with { Options = spec.Options with { EnforceEager = true } };
        if (gpuOrdinals is [var only])
            spec = spec with { Device = $"cuda:{only}" };
        else if (gpuOrdinals is not null)
            return await SaveAsync(p, await ThroughputOnGpus.RunAsync(spec, gpuOrdinals, name, requests, temperature, seed, CommandConfiguration.From(p, seed), cancellationToken), "");
        var job = new ThroughputJob();
        var worker = new EngineWorker<OfflineMeasurement>("llmbench-throughput", spec, opened => job.Run(opened, temperature, seed, cancellationToken));
        var opened = await worker.Opened;
        BenchmarkConsole.Announce(opened);
        int longestPrompt = requests.Count == 0 ? 0 : requests.Max(r => r.PromptIds.Length);
        if (name == "random" && longestPrompt >= opened.Engine.MaxModelLength)
        {
            worker.Abandon();
            throw new UserErrorException($"--input-len gives prompts of up to {longestPrompt} tokens, but the model length is {opened.Engine.MaxModelLength} (prompt and output together); lower --input-len or raise --max-model-len.");
        }

        var fit = new WorkloadFit(opened.Model.Config.VocabSize, opened.Engine.MaxModelLength);
        job.Requests = fit.Apply(requests);
        BenchmarkConsole.AnnounceFit(fit);
        var configuration = CommandConfiguration.From(p, seed) with { EngineOptions = EngineOptionsDescription.Of(spec, opened) };
        worker.Go();
        await BenchmarkConsole.ShowProgressAsync(worker.Completion, () => job.Completed, job.Requests.Count);
        var measurement = await worker.Completion;

        return await SaveAsync(p, ThroughputResults.Build(name, temperature, job.Requests, fit, measurement, opened.UnderTest, configuration), "");
    }

    /// <summary>Prints the result, saves it (--output-json, else results/throughput-[PREFIX]MODEL-DATE.json) and gives the exit code.</summary>
    private static async Task<int> SaveAsync(ParseResult p, ThroughputResult result, string prefix)
    {
        ThroughputRendering.Write(Console.Out, result);
        var path = p.GetValue(OutputJson) ?? Path.Combine("results", $"throughput-{prefix}{ResultPaths.Slug(result.Model.Name)}-{result.Date}.json");
        var (folder, fileName) = ResultFolderWriter.Split(path);
        await Console.Error.WriteLineAsync(ResultPaths.SavedLine(ResultFolderWriter.Write(result, folder, fileName, ResultExporters.Throughput)));
        return result.Incomplete ? CommandRunner.Cancelled : 0;
    }

    /// <summary>Another framework: static batches of --max-num-seqs, greedy (the worker and the lockstep requests decode greedily).</summary>
    private static async Task<int> RunStaticBatchesAsync(ParseResult p, string backend, string name, IReadOnlyList<WorkloadRequest> requests, ulong seed, CancellationToken cancellationToken)
    {
        var spec = Engine.Bind(p);
        int batchSize = spec.Options.MaxNumSeqs;
        var context = new BackendContext(Engine, Backends, p, batchSize, cancellationToken);
        StaticBatchRunner? runner = null;
        var ready = new TaskCompletionSource<IReadOnlyList<WorkloadRequest>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var worker = new DedicatedWorker<OpenedBackend, OfflineMeasurement>("llmbench-throughput", () => LockstepBackends.Open(backend, context), opened =>
        {
            var r = new StaticBatchRunner(opened.Backend, batchSize, new StopwatchClock());
            Volatile.Write(ref runner, r);
            return r.Run(ready.Task.GetAwaiter().GetResult(), seed, cancellationToken);
        });
        var opened = await worker.Opened;
        BenchmarkConsole.Announce(opened);
        var config = opened.Description.Model.Config;
        var fit = new WorkloadFit(config.VocabSize, config.MaxPositionEmbeddings);
        var fitted = fit.Apply(requests);
        BenchmarkConsole.AnnounceFit(fit);
        ready.SetResult(fitted);
        var configuration = CommandConfiguration.From(p, seed) with { EngineOptions = EngineOptionsDescription.Of(spec, config.MaxPositionEmbeddings, null) };
        worker.Go();
        await BenchmarkConsole.ShowProgressAsync(worker.Completion, () => Volatile.Read(ref runner)?.Completed ?? 0, fitted.Count);
        var measurement = await worker.Completion;

        var result = ThroughputResults.Build(name, 0, fitted, fit, measurement, opened.Description, configuration)
            with { Backend = backend, CompileSeconds = Volatile.Read(ref runner)?.CompileSeconds };
        return await SaveAsync(p, result, $"{backend}-");
    }

    private static (string Name, IReadOnlyList<WorkloadRequest> Requests, float Temperature) Workload(ParseResult p)
    {
        var preset = p.GetValue(Preset);
        bool randomGiven = p.GetValue(NumPrompts) is not null || p.GetValue(InputLen) is not null || p.GetValue(OutputLen) is not null || p.GetValue(RandomRangeRatio) is not null;
        if (preset is not null)
        {
            if (!string.Equals(preset.Trim(), "nano", StringComparison.OrdinalIgnoreCase))
                throw new UserErrorException($"--preset must be nano (the only preset), got '{preset}'.");
            if (randomGiven)
                throw new UserErrorException("--preset nano fixes every length; drop --num-prompts, --input-len, --output-len and --random-range-ratio, or drop --preset.");
            return ("nano", NanoWorkload.Create(), NanoWorkload.Temperature);
        }

        var requests = RandomWorkload.Create(p.GetValue(NumPrompts) ?? 1000, p.GetValue(InputLen) ?? 1024, p.GetValue(OutputLen) ?? 128,
            p.GetValue(RandomRangeRatio) ?? 0, Engine.SeedOf(p));
        return ("random", requests, 1.0f);
    }
}

/// <summary>The state a throughput run shares between the engine's thread and the progress bar.</summary>
internal sealed class ThroughputJob
{
    private OfflineRunner? _runner;

    public IReadOnlyList<WorkloadRequest> Requests { get; set; } = [];

    public int Completed => Volatile.Read(ref _runner)?.Completed ?? 0;

    public OfflineMeasurement Run(OpenedEngine opened, float temperature, ulong seed, CancellationToken cancellationToken)
    {
        var runner = new OfflineRunner(opened.Engine, new StopwatchClock());
        runner.WarmUp();
        Volatile.Write(ref _runner, runner);
        return runner.Run(Requests, temperature, seed, cancellationToken);
    }
}
