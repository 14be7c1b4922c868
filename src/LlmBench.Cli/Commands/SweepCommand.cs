using System.CommandLine;
using System.Globalization;
using LlmBench.Benchmarks.Lockstep;
using LlmBench.Benchmarks.Platform;
using LlmBench.Benchmarks.Results;
using LlmBench.Benchmarks.Running;
using LlmBench.Engine;
using LlmBench.Reports.Results;
using LlmBench.Reports.Sweep;
using LlmBench.Reports.Sweep.Export;
using LlmBench.Telemetry;

namespace LlmBench.Cli;

/// <summary>
/// `llmbench sweep`: a grid of lockstep batches (batch sizes × input lengths × output lengths) on one engine opened once,
/// each point after its own short uncounted batch; names the best batch, where throughput saturates and the best within
/// SLOs; saves sweep.json, sweep.csv and sweep.md in one folder.
/// </summary>
internal static class SweepCommand
{
    private static readonly EngineFlags Engine = new(EngineDefaults.Standard);
    private static readonly Option<string> BatchSizes = new("--batch-sizes") { Description = "Batch sizes, comma-separated (--max-num-seqs is raised to the largest).", DefaultValueFactory = _ => string.Join(',', SweepGrid.DefaultBatchSizes) };
    private static readonly Option<string> InputLens = new("--input-lens") { Description = "Prompt lengths, comma-separated; a sequence-length study is 128,512,2048,8192.", DefaultValueFactory = _ => "128" };
    private static readonly Option<string> OutputLens = new("--output-lens") { Description = "Output lengths (EOS ignored), comma-separated.", DefaultValueFactory = _ => "128" };
    private static readonly Option<double?> TpotSlo = new("--tpot-slo-ms") { Description = "Also name the highest-throughput point whose p99 TPOT is at most this many ms." };
    private static readonly Option<double?> TtftSlo = new("--ttft-slo-ms") { Description = "Also name the highest-throughput point whose p99 TTFT is at most this many ms." };
    private static readonly Option<string?> OutputDir = new("--output-dir") { Description = "Folder for sweep.json, sweep.csv and sweep.md (default: results/sweep-<model>-<date>/)." };

    public static Command Create()
    {
        var command = new Command("sweep",
            "Throughput and latency over a grid of --batch-sizes × --input-lens × --output-lens on one engine. Each point: one short " +
            "uncounted batch, then one lockstep batch (all requests added at once, greedy, EOS ignored) measured for output and total tok/s, " +
            "requests/s, TTFT and TPOT (mean, p99; vLLM's definitions), prefill tok/s, decode step ms, GPU utilization and memory (NVML, over the point), " +
            "peak KV blocks and the fraction of the memory-bandwidth floor. A point that does not fit the KV cache or the model length is " +
            "reported as such and the sweep goes on. Names the best output throughput, per length pair the smallest batch within 5 % of its best " +
            "(saturation), and with --tpot-slo-ms/--ttft-slo-ms the best point whose p99s meet them. Ctrl-C saves the points measured, marked incomplete.");
        Engine.AddTo(command);
        Option[] options = [BatchSizes, InputLens, OutputLens, TpotSlo, TtftSlo, OutputDir];
        foreach (var option in options)
            command.Options.Add(option);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(token => RunAsync(parse, token), ct));
        return command;
    }

    /// <param name="pointDone">Called on the engine's thread after each point (tests cancel from here).</param>
    internal static async Task<int> RunAsync(ParseResult p, CancellationToken cancellationToken, Action<SweepPoint>? pointDone = null)
    {
        var batchSizes = SweepGrid.ParseList("--batch-sizes", p.GetValue(BatchSizes));
        var grid = SweepGrid.Create(batchSizes, SweepGrid.ParseList("--input-lens", p.GetValue(InputLens)), SweepGrid.ParseList("--output-lens", p.GetValue(OutputLens)));
        var slo = new SweepSlo(Slo("--tpot-slo-ms", p.GetValue(TpotSlo)), Slo("--ttft-slo-ms", p.GetValue(TtftSlo)));
        var seed = Engine.SeedOf(p);
        var spec = LockstepEngine.Bind(Engine, p, batchSizes.Max());
        SweepRunner? runner = null;
        var ready = new TaskCompletionSource<SweepTarget>(TaskCreationOptions.RunContinuationsAsynchronously);
        var worker = new EngineWorker<(IReadOnlyList<SweepPoint> Points, bool Incomplete)>("llmbench-sweep", spec, _ =>
        {
            var r = new SweepRunner(ready.Task.GetAwaiter().GetResult(), new StopwatchClock()) { PointDone = point => { Report(point); pointDone?.Invoke(point); } };
            Volatile.Write(ref runner, r);
            return r.Run(grid, seed, cancellationToken);
        });
        var opened = await worker.Opened;
        BenchmarkConsole.Announce(opened);
        var engine = opened.UnderTest;
        var gpu = GpuIdentity.Of(engine);
        string? telemetryProblem = null;
        using var telemetry = gpu?.NvmlIndex is { } index ? GpuTelemetryWindow.TryStart([index], out telemetryProblem) : null;
        if (gpu is not null && telemetry is null)
            Console.Error.WriteLine($"note: no GPU telemetry ({telemetryProblem ?? "NVML does not list this GPU"}); GPU utilization and memory are left out.");
        var target = new SweepTarget(opened.Engine, engine, gpu, telemetry, LockstepEngine.Backend(spec));
        ready.SetResult(target);
        var configuration = CommandConfiguration.From(p, seed) with { EngineOptions = EngineOptionsDescription.Of(spec, opened) };
        worker.Go();
        await BenchmarkConsole.ShowProgressAsync(worker.Completion, () => Volatile.Read(ref runner)?.Done ?? 0, grid.Count, "points");
        var (points, incomplete) = await worker.Completion;
        telemetry?.Stop();

        var result = LockstepResults.Sweep(points, incomplete, slo, target, configuration);
        Console.Out.Write(SweepResultMarkdown.Table(result));
        foreach (var line in SweepChoiceText.Lines(result.Choices))
            Console.Out.WriteLine(line);
        var folder = p.GetValue(OutputDir) ?? Path.Combine("results", $"sweep-{ResultPaths.Slug(result.Model.Name)}-{result.Date}");
        await Console.Error.WriteLineAsync(ResultPaths.SavedLine(ResultFolderWriter.Write(result, folder, "sweep", ResultExporters.Sweep)));
        return incomplete ? CommandRunner.Cancelled : 0;
    }

    private static double? Slo(string flag, double? value) =>
        value is { } v && (!double.IsFinite(v) || v <= 0)
            ? throw new UserErrorException(string.Create(CultureInfo.InvariantCulture, $"{flag} must be a positive number of milliseconds, got {v}."))
            : value;

    private static void Report(SweepPoint point) => Console.Error.WriteLine(point.Status == SweepPointStatus.Ok
        ? string.Create(CultureInfo.InvariantCulture, $"batch {point.BatchSize}, input {point.InputLen}, output {point.OutputLen}: {point.OutputThroughput:0.0} output tok/s, TPOT {point.MeanTpotMs:0.00} ms")
        : $"batch {point.BatchSize}, input {point.InputLen}, output {point.OutputLen}: {point.Note}");
}
