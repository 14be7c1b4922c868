using System.CommandLine;
using LlmBench.Benchmarks.Results;
using LlmBench.Benchmarks.Running;
using LlmBench.Benchmarks.Workloads;
using LlmBench.Engine;
using LlmBench.Reports.Results;

namespace LlmBench.Cli;

/// <summary>
/// `llmbench throughput`: the offline benchmark, as `vllm bench throughput` runs it: every request queued at once,
/// timed from the first send to the last completion (prefill included), after one short uncounted warm-up.
/// </summary>
internal static class ThroughputCommand
{
    private static readonly EngineFlags Engine = new(EngineDefaults.Standard);
    private static readonly Option<string?> Preset = new("--preset") { Description = "nano: nano-vllm's bench.py workload (256 sequences, Σ prompt 142,827, Σ output 133,966, temperature 0.6)." };
    private static readonly Option<int?> NumPrompts = new("--num-prompts") { Description = "Requests of the random workload (default 1000)." };
    private static readonly Option<int?> InputLen = new("--input-len") { Description = "Prompt tokens per request (default 1024)." };
    private static readonly Option<int?> OutputLen = new("--output-len") { Description = "Output tokens per request, EOS ignored (default 128)." };
    private static readonly Option<double?> RandomRangeRatio = new("--random-range-ratio") { Description = "Lengths uniform in [len·(1−r), len·(1+r)] (default 0)." };
    private static readonly Option<string?> OutputJson = new("--output-json") { Description = "Where to save the JSON result; the CSV and Markdown go beside it (default: results/throughput-<model>-<date>.json)." };

    public static Command Create()
    {
        var command = new Command("throughput",
            "Offline throughput: queue a batch of requests at once and measure requests/s, output and total tok/s, TTFT/TPOT " +
            "percentiles, peak KV usage, preemptions and the fraction of the memory-bandwidth floor. Latencies use vLLM's definitions: " +
            "TTFT = first token − send, TPOT = (E2EL − TTFT) / (output tokens − 1), E2EL = last token − send.");
        Engine.AddTo(command);
        Option[] options = [Preset, NumPrompts, InputLen, OutputLen, RandomRangeRatio, OutputJson];
        foreach (var option in options)
            command.Options.Add(option);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(token => RunAsync(parse, token), ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult p, CancellationToken cancellationToken)
    {
        var (name, requests, temperature) = Workload(p);
        var seed = Engine.SeedOf(p);
        var spec = Engine.Bind(p);
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

        var result = ThroughputResults.Build(name, temperature, job.Requests, fit, measurement, opened.UnderTest, configuration);
        ThroughputRendering.Write(Console.Out, result);
        var path = p.GetValue(OutputJson) ?? Path.Combine("results", $"throughput-{ResultPaths.Slug(result.Model.Name)}-{result.Date}.json");
        var (folder, fileName) = ResultFolderWriter.Split(path);
        await Console.Error.WriteLineAsync(ResultPaths.SavedLine(ResultFolderWriter.Write(result, folder, fileName, ResultExporters.Throughput)));
        return measurement.Incomplete ? CommandRunner.Cancelled : 0;
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
