using System.CommandLine;
using LlmBench.Benchmarks.Health;
using LlmBench.LoadGen.Client;
using LlmBench.LoadGen.Datasets;
using LlmBench.LoadGen.Runner;
using LlmBench.Reports.Serving;
using LlmBench.Reports.Results;
using LlmBench.Reports.Serving.Export;
using LlmBench.Reports.Serving.Sweep;
using Spectre.Console;

namespace LlmBench.Cli;

/// <summary>
/// `llmbench bench serve`: the serving benchmark of `vllm bench serve` against any OpenAI-compatible
/// server, with the same flags, printout and result keys, plus the serving-constraints score table.
/// </summary>
internal static class BenchServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve",
            "Load-test an OpenAI-compatible server as `vllm bench serve` does: TTFT, TPOT, ITL, E2EL percentiles, throughput, goodput, " +
            "scored against P99 TPOT < 50 ms, P99 TTFT < 2000 ms and 100% success.");
        var options = new BenchServeOptions();
        options.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
            CommandRunner.RunAsync(ct => RunAsync(options, parseResult, ct), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(BenchServeOptions options, ParseResult parseResult, CancellationToken cancellationToken)
    {
        var settings = options.Bind(parseResult);
        var search = options.BindSearch(parseResult, settings);
        var log = Console.Error;
        // --launch starts the server once: every point of a sweep or search runs against the same process.
        await using var launched = settings.Launch is null
            ? null
            : await ServerLauncher.StartAsync(settings.Launch, settings.ServerBaseUrl, log, cancellationToken);

        var (benchmark, requests) = await PrepareAsync(settings, cancellationToken);
        var configuration = CommandConfiguration.From(parseResult, settings.Dataset.Seed);
        var append = parseResult.GetValue(options.AppendResult);
        var save = new PointSaving(parseResult.GetValue(options.SaveResult) || append, parseResult.GetValue(options.ResultDir), parseResult.GetValue(options.ResultFilename))
        {
            Append = append,
            Progress = !parseResult.GetValue(options.DisableTqdm),
        };

        if (search is not null || settings.IsSweep)
        {
            var runner = new BenchServeSweep(settings, configuration, Console.Out,
                (point, ct) => RunPointAsync(benchmark.At(point), settings.At(point), requests, configuration, save with { Save = true, Sweep = true }, log, ct));
            var sweep = search is null
                ? await runner.RunGridAsync(cancellationToken)
                : await runner.SearchAsync(search, parseResult.GetValue(options.SearchPercentile), cancellationToken);
            var folder = save.Dir ?? "";
            await log.WriteLineAsync(ResultPaths.SavedLine(ResultFolderWriter.Write(sweep, folder, ServeSweepExport.Name, ServeSweepExport.Exporters)));
            if (sweep.Error is { } error)
                throw new UserErrorException(error);
            return sweep.Points.All(p => p.Metrics.Completed == 0) ? CommandRunner.UserError : 0;
        }

        var single = await RunPointAsync(benchmark, settings, requests, configuration, save, log, cancellationToken);
        return single.Metrics.Completed == 0 ? CommandRunner.UserError : 0;
    }

    /// <summary>Where a run's result files go: --save-result, --result-dir, --result-filename; a sweep saves every point, each under its own name.</summary>
    internal sealed record PointSaving(bool Save, string? Dir, string? FileName)
    {
        public bool Sweep { get; init; }

        /// <summary>--append-result: the JSON goes as one more line at the end of the result file, alone.</summary>
        public bool Append { get; init; }

        /// <summary>False with --disable-tqdm: no progress bar.</summary>
        public bool Progress { get; init; } = true;

        public string Path(ServingRunInfo info)
        {
            if (!Sweep || FileName is null)
                return ServingResultFileName.Resolve(info, Dir, FileName);
            // One --result-filename for many points: the load goes into each name so none overwrites another.
            var stem = System.IO.Path.GetFileNameWithoutExtension(FileName);
            var rate = double.IsPositiveInfinity(info.RequestRate) ? "inf" : info.RequestRate.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            var concurrency = info.MaxConcurrency is { } c ? $"-concurrency{c}" : "";
            return ServingResultFileName.Resolve(info, Dir, $"{stem}-{rate}qps{concurrency}.json");
        }
    }

    /// <summary>One load, as a single `bench serve` run does it: progress, telemetry, the printed report, and the result files when saving.</summary>
    private static async Task<ServeSweepPoint> RunPointAsync(
        ServeBenchmark benchmark, BenchServeSettings settings, IReadOnlyList<BenchRequest> requests, ResultConfiguration configuration,
        PointSaving save, TextWriter log, CancellationToken cancellationToken)
    {
        var progress = new RunProgress { Total = settings.DurationSeconds is null ? requests.Sum(r => 1 + (r.LaterTurns?.Count ?? 0)) : null };
        using var telemetry = LocalGpuTelemetry.TryStart(settings.ServerBaseUrl, log);
        var run = benchmark.RunAsync(requests, progress, log, configuration, cancellationToken);
        if (save.Progress)
            await ProgressDisplay.ShowAsync(run, progress, settings.DurationSeconds);
        var result = await run;
        // The server's GPUs over the run: one line each in the report, the table after it, and in the saved JSON
        // under "llmbench"."gpu_telemetry" (null there when nothing was sampled), and over time under "llmbench"."telemetry".
        telemetry?.Stop();
        if (telemetry is not null)
            result = result with { GpuTelemetry = GpuHealthBuilder.ForAll(telemetry), GpuTimeSeries = GpuTimeSeriesBuilder.ForAll(telemetry) };

        PrintFailures(result);
        Console.Out.Write(ServingTextReport.Render(result));
        if (telemetry is not null)
            MonitorView.WriteSummary(AnsiConsole.Console, telemetry.Summary(), csvPath: null);
        string? saved = null;
        if (save.Append)
        {
            saved = ResultFolderWriter.AppendJsonLine(result, save.Path(result.Info), ResultExporters.Serving[0]);
            await log.WriteLineAsync($"appended to {saved}");
        }
        else if (save.Save)
        {
            var (folder, name) = ResultFolderWriter.Split(save.Path(result.Info));
            var paths = ResultFolderWriter.Write(result, folder, name, ResultExporters.Serving);
            saved = paths[0];
            await log.WriteLineAsync(ResultPaths.SavedLine(paths));
        }

        return new ServeSweepPoint(result, saved);
    }

    /// <summary>
    /// Names the model (asking the server's /v1/models when --model is not given), loads the tokenizer and samples the
    /// requests. When the model's name has no tokenizer here (a served alias such as "my-model"), the tokenizer comes
    /// from the server's "root" for it (what it was opened from, e.g. Qwen/Qwen3-0.6B), as vLLM takes it, and the run
    /// says so; --tokenizer always wins.
    /// </summary>
    internal static async Task<(ServeBenchmark Benchmark, IReadOnlyList<BenchRequest> Requests)> PrepareAsync(BenchServeSettings settings, CancellationToken cancellationToken)
    {
        ServedModel? listed = null;
        if (settings.Model is null)
        {
            listed = (await ModelDiscovery.ListAsync(settings.ServerBaseUrl, settings.ApiKey, cancellationToken, settings.Headers))[0];
            await Console.Error.WriteLineAsync($"Model not specified; the server's first model is {listed.Id}" + (listed.Root is { } r && r != listed.Id ? $" (root {r})." : "."));
        }

        var modelId = settings.Model ?? listed!.Id;
        var (tokenizerName, tokenizer, tokenIdLimit) = await LoadTokenizerAsync(settings, modelId, listed, cancellationToken);
        var benchmark = new ServeBenchmark(settings with { Tokenizer = tokenizerName }, modelId, tokenizer, tokenIdLimit);
        return (benchmark, benchmark.SampleRequests());
    }

    private static async Task<(string? Name, LlmBench.Text.Tokenization.ITextTokenizer Tokenizer, int OrdinaryIdLimit)> LoadTokenizerAsync(
        BenchServeSettings settings, string modelId, ServedModel? listed, CancellationToken cancellationToken)
    {
        if (settings.Tokenizer is { } explicitName)
        {
            var (t, limit) = BenchTokenizer.Load(explicitName);
            return (explicitName, t, limit);
        }

        try
        {
            var (t, limit) = BenchTokenizer.Load(modelId);
            return (null, t, limit);
        }
        catch (UserErrorException notLocal)
        {
            var asked = settings.ServedModelName ?? modelId;
            ServedModel? entry = listed;
            if (entry is null || entry.Id != asked)
            {
                try
                {
                    var models = await ModelDiscovery.ListAsync(settings.ServerBaseUrl, settings.ApiKey, cancellationToken, settings.Headers);
                    entry = models.FirstOrDefault(m => m.Id == asked) ?? models.FirstOrDefault(m => m.Id == modelId);
                }
                catch (UserErrorException)
                {
                    entry = null;
                }
            }

            if (entry?.Root is not { } root || root == modelId)
                throw new UserErrorException($"{notLocal.Message.TrimEnd('.')}; the server's /v1/models gave no other name (root) for \"{asked}\" to take one from.", notLocal);
            try
            {
                var (t, limit) = BenchTokenizer.Load(root);
                await Console.Error.WriteLineAsync($"Tokenizer: {root}, the server's root for \"{entry.Id}\" (no tokenizer is found here under \"{modelId}\").");
                return (root, t, limit);
            }
            catch (UserErrorException fromRoot)
            {
                throw new UserErrorException($"No tokenizer for \"{modelId}\", nor for the server's root \"{root}\" ({fromRoot.Message.TrimEnd('.')}); pass --tokenizer.", fromRoot);
            }
        }
    }

    /// <summary>Like vLLM: the first ten errors, so a misconfigured run says why at once.</summary>
    private static void PrintFailures(ServingResult result)
    {
        var failed = result.Records.Where(r => !r.Success).Take(10).ToArray();
        if (failed.Length == 0)
            return;
        Console.Error.WriteLine($"{result.Metrics.Failed} request(s) failed (showing up to 10):");
        foreach (var r in failed)
            Console.Error.WriteLine($"  request {r.Index}: {r.Error}");
    }
}
