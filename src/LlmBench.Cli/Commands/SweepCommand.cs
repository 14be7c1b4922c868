using System.CommandLine;
using System.Globalization;
using LlmBench.Benchmarks.Lockstep;
using LlmBench.Benchmarks.Platform;
using LlmBench.Benchmarks.Results;
using LlmBench.Benchmarks.Running;
using LlmBench.Reports.Results;
using LlmBench.Reports.Sweep;
using LlmBench.Reports.Sweep.Export;
using LlmBench.Telemetry;

namespace LlmBench.Cli;

/// <summary>
/// `llmbench sweep`: a grid of lockstep batches (batch sizes × input lengths × output lengths) on each backend in turn,
/// each opened once, each point after its own short uncounted batch; names the best batch, where throughput saturates
/// and the best within SLOs; with several backends the framework × batch-size table; with --gpus each point on every
/// GPU at once (<see cref="SweepRun"/>); saves sweep.json, sweep.csv and sweep.md in one folder.
/// </summary>
internal static class SweepCommand
{
    private static readonly EngineFlags Engine = new(EngineDefaults.Standard);
    private static readonly BackendFlags Backends = new(allowList: true);
    private static readonly Option<string> BatchSizes = new("--batch-sizes") { Description = "Batch sizes, comma-separated (--max-num-seqs is raised to the largest).", DefaultValueFactory = _ => string.Join(',', SweepGrid.DefaultBatchSizes) };
    private static readonly Option<string> InputLens = new("--input-lens") { Description = "Prompt lengths, comma-separated; LOW-HIGH draws each request's length uniformly (128,128-512 are the framework tables' fixed and varied prompts); a sequence-length study is 128,512,2048,8192.", DefaultValueFactory = _ => "128" };
    private static readonly Option<string> OutputLens = new("--output-lens") { Description = "Output lengths (EOS ignored), comma-separated.", DefaultValueFactory = _ => "128" };
    private static readonly Option<double?> TpotSlo = new("--tpot-slo-ms") { Description = "Also name the highest-throughput point whose p99 TPOT is at most this many ms." };
    private static readonly Option<double?> TtftSlo = new("--ttft-slo-ms") { Description = "Also name the highest-throughput point whose p99 TTFT is at most this many ms." };
    private static readonly Option<double?> TimeBudget = new("--time-budget") { Description = "Seconds each backend may spend on its points (loading not counted); the points not started by then are saved as not run." };
    private static readonly Option<string?> Gpus = GpuList.CreateOption();
    private static readonly Option<string?> OutputDir = new("--output-dir") { Description = "Folder for sweep.json, sweep.csv and sweep.md (default: results/sweep-<model>-<date>/)." };

    public static Command Create()
    {
        var command = new Command("sweep",
            "Throughput and latency over a grid of --batch-sizes × --input-lens × --output-lens on one backend, or on several one after another " +
            "(--backend llmbench,llmbench-eager,hf,hf-compile: the framework × batch-size table with llmbench's tok/s over each). Each point: one short " +
            "uncounted batch, then one lockstep batch (all requests added at once, greedy, EOS ignored) measured for output and total tok/s, " +
            "requests/s, TTFT and TPOT (mean, p99; vLLM's definitions), prefill tok/s, decode step ms, GPU utilization and memory (NVML, over the point), " +
            "peak KV blocks and the fraction of the memory-bandwidth floor. A point that does not fit the KV cache or the model length is " +
            "reported as such and the sweep goes on; a backend that fails keeps the points it measured and the others still run. Names the best output throughput, per backend and length pair the smallest batch within 5 % of its best " +
            "(saturation), and with --tpot-slo-ms/--ttft-slo-ms the best point whose p99s meet them. --gpus runs each point on one engine per GPU at once: " +
            "each GPU's figures and their total per point (tok/s summed, p99s the worst GPU's), whether the GPUs agree within ±5 % at that point, " +
            "and a line over the sweep naming the slow card. Ctrl-C saves the points measured, marked incomplete.");
        Engine.AddTo(command);
        Backends.AddTo(command);
        Option[] options = [BatchSizes, InputLens, OutputLens, TpotSlo, TtftSlo, TimeBudget, Gpus, OutputDir];
        foreach (var option in options)
            command.Options.Add(option);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(token => RunAsync(parse, token), ct));
        return command;
    }

    /// <param name="pointDone">Called on the backend's thread after each point (tests cancel from here).</param>
    /// <param name="engineDevices">The devices --gpus would give, for tests on a machine without GPUs ("cpu", "cpu"); null: --gpus decides.</param>
    internal static async Task<int> RunAsync(ParseResult p, CancellationToken cancellationToken, Action<SweepPoint>? pointDone = null, IReadOnlyList<string>? engineDevices = null)
    {
        var batchSizes = SweepGrid.ParseList("--batch-sizes", p.GetValue(BatchSizes));
        var grid = SweepGrid.Create(batchSizes, SweepGrid.ParseInputLengths("--input-lens", p.GetValue(InputLens)), SweepGrid.ParseList("--output-lens", p.GetValue(OutputLens)));
        var slo = new SweepSlo(Slo("--tpot-slo-ms", p.GetValue(TpotSlo)), Slo("--ttft-slo-ms", p.GetValue(TtftSlo)));
        var budget = Slo("--time-budget", p.GetValue(TimeBudget));
        var seed = Engine.SeedOf(p);
        var names = Backends.Parse(p, p.GetValue(Engine.EnforceEager));
        foreach (var name in names)
            GpuList.RefuseWith(p.GetValue(Gpus), name);
        var devices = engineDevices ?? GpuList.Resolve(p.GetValue(Gpus))?.Select(o => $"cuda:{o}").ToArray();
        var context = new BackendContext(Engine, Backends, p, batchSizes.Max(), cancellationToken);
        _ = LockstepBackends.Spec(context); // every flag checked before the first backend loads

        var run = new SweepRun(grid, seed, budget, devices, pointDone);
        foreach (var name in names)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                run.Incomplete = true;
                break;
            }

            await run.BackendAsync(name, context, single: names.Count == 1, cancellationToken);
        }

        run.Telemetry?.Stop();
        if (run.First is null)
            throw new UserErrorException(run.Errors.Count > 0 ? run.Errors[0] : "no backend ran.");
        var configuration = CommandConfiguration.From(p, seed) with { EngineOptions = run.EngineOptions ?? EngineOptionsDescription.Of(LockstepBackends.Spec(context), run.First.Model.Config.MaxPositionEmbeddings, null) };
        var result = LockstepResults.Sweep(run.Points, run.Incomplete, slo, run.First, run.Gpu, run.BackendInfos, configuration, run.Telemetry);
        Console.Out.Write(SweepResultMarkdown.Table(result));
        foreach (var line in SweepChoiceText.Lines(result.Choices))
            Console.Out.WriteLine(line);
        if (SweepGpuAgreement.Of(result.Points) is { } agreement)
            Console.Out.WriteLine(agreement.Summary());
        var folder = p.GetValue(OutputDir) ?? Path.Combine("results", $"sweep-{ResultPaths.Slug(result.Model.Name)}-{result.Date}");
        await Console.Error.WriteLineAsync(ResultPaths.SavedLine(ResultFolderWriter.Write(result, folder, "sweep", ResultExporters.Sweep)));
        run.Telemetry?.Dispose();
        foreach (var error in run.Errors)
            await Console.Error.WriteLineAsync($"error: {error}");
        return run.Incomplete ? CommandRunner.Cancelled : run.Errors.Count > 0 ? CommandRunner.UserError : 0;
    }

    private static double? Slo(string flag, double? value) =>
        value is { } v && (!double.IsFinite(v) || v <= 0)
            ? throw new UserErrorException(string.Create(CultureInfo.InvariantCulture, $"{flag} must be a positive number{(flag.EndsWith("-ms", StringComparison.Ordinal) ? " of milliseconds" : " of seconds")}, got {v}."))
            : value;
}
