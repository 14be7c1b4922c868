using System.CommandLine;
using System.Globalization;
using LlmBench.Benchmarks.Running;
using LlmBench.Benchmarks.Workloads;
using LlmBench.Engine;
using LlmBench.Reports.Results;

namespace LlmBench.Cli;

/// <summary>
/// `llmbench run`: the headline score. The standard workload (docs/WORKLOADS.md) in a closed loop for --duration after an
/// uncounted warm-up, with a live view, GPU health, energy per token, platform versions and a validity verdict,
/// saved as JSON, CSV and Markdown under results/. --gpus runs one engine per GPU at once.
/// </summary>
internal static class RunCommand
{
    public const int GpuConcurrency = 256;

    /// <summary>On the CPU a 256-request, 8192-token-step run would spend many minutes in its first prefill, so a CPU run keeps 4 in flight and 256-token steps unless told otherwise.</summary>
    public const int CpuConcurrency = 4;

    public const int CpuBatchedTokens = 256;

    /// <summary>
    /// Prompt lengths of a CPU run. On two cores a prefill runs at ≈ 100 tok/s, so one of the standard's up-to-1,024-token
    /// prompts stalls every stream for up to 10 s and a 30 s slice's output rate depends on how many prefills fell in
    /// it (slices of 16.7 to 30.1 tok/s, never within ±5 %); U[10, 100] keeps prefill near 3 % of the time.
    /// </summary>
    public static readonly LengthRange CpuInputLengths = new(10, 100);

    private static readonly EngineFlags Engine = new(EngineDefaults.Standard);

    /// <summary>The engine defaults of a CPU run.</summary>
    private static readonly EngineDefaults CpuDefaults = EngineDefaults.Standard with { MaxNumBatchedTokens = CpuBatchedTokens };
    private static readonly Option<double> Duration = new("--duration") { Description = "Seconds of measurement after the warm-up.", DefaultValueFactory = _ => 300 };
    private static readonly Option<double> Warmup = new("--warmup") { Description = "Seconds of uncounted warm-up (the first prefills, JIT and caches settle).", DefaultValueFactory = _ => 30 };
    private static readonly Option<int?> Concurrency = new("--concurrency") { Description = $"Requests kept in flight (default {GpuConcurrency} on a GPU as the standard workload says, {CpuConcurrency} on the CPU)." };
    private static readonly Option<string?> InputLenRange = new("--input-len-range") { Description = $"Prompt lengths, U[MIN, MAX] written MIN-MAX (default {StandardWorkload.MinLength}-{StandardWorkload.MaxLength}, the standard workload, on a GPU; {CpuInputLengths.Min}-{CpuInputLengths.Max} on the CPU, where long prefills make 30 s slices disagree). " };
    private static readonly Option<string?> OutputLenRange = new("--output-len-range") { Description = $"Output lengths, U[MIN, MAX] written MIN-MAX (default {StandardWorkload.MinLength}-{StandardWorkload.MaxLength}, the standard workload's, on a GPU and on the CPU)." };
    private static readonly Option<double> Window = new("--window") { Description = "Seconds per stability slice; every slice must be within ±5 % of their mean for a valid run.", DefaultValueFactory = _ => 30 };
    private static readonly Option<string?> Gpus = GpuList.CreateOption();
    private static readonly Option<string?> OutputDir = new("--output-dir") { Description = "Folder for result.json, result.csv and result.md (default: results/<date>-<gpu or cpu>/)." };

    public static Command Create()
    {
        var command = new Command("run",
            "The score: run the standard workload (Qwen3-0.6B, 256 requests in flight, U[100,1024] in and out; on the CPU 4 in flight and U[10,100] in) for --duration " +
            "seconds after a warm-up and report output tok/s, generations/s, TTFT/TPOT (vLLM's definitions, over requests that finish in the window), " +
            "GPU health, energy per token and a validity verdict. Ctrl-C stops and saves what was measured, marked incomplete.");
        Engine.AddTo(command);
        Option[] options = [Duration, Warmup, Concurrency, InputLenRange, OutputLenRange, Window, Gpus, OutputDir];
        foreach (var option in options)
            command.Options.Add(option);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(token => RunAsync(parse, token), ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult p, CancellationToken cancellationToken)
    {
        var loop = LoopOptions(p, out var gpuOrdinals, out bool onGpu);
        var devices = gpuOrdinals is null ? [p.GetValue(Engine.Device)!] : gpuOrdinals.Select(o => $"cuda:{o}").ToArray();
        var specs = devices.Select(d => Engine.Bind(p, onGpu ? null : CpuDefaults, device: d)).ToArray();
        if (!onGpu)
            Console.Error.WriteLine($"note: CPU run: {loop.Concurrency} requests in flight, {specs[0].Options.MaxNumBatchedTokens}-token steps, prompts of {loop.InputLengths} and outputs of {loop.OutputLengths} tokens unless --concurrency, --max-num-batched-tokens, --input-len-range and --output-len-range say otherwise (GPU defaults: {GpuConcurrency}, 8192, {LengthRange.Standard} and the same outputs).");

        var session = await RunSession.OpenAsync(specs, loop, cancellationToken);
        var result = await session.RunAsync(p.GetValue(Duration), CommandConfiguration.From(p, loop.Seed), cancellationToken);
        RunRendering.Write(Console.Out, result);
        var folder = p.GetValue(OutputDir) ?? Path.Combine("results", $"{result.Date}-{ResultPaths.Slug(result.Platform.GpuName ?? "cpu")}");
        await Console.Error.WriteLineAsync(ResultPaths.SavedLine(ResultFolderWriter.Write(result, folder, "result", ResultExporters.Run)));
        await Console.Error.WriteLineAsync($"report: {ReportCommand.CommandFor(folder)}");
        if (result.Engines.Any(e => e.Error is not null))
            return CommandRunner.UserError;
        return result.Incomplete ? CommandRunner.Cancelled : 0;
    }

    private static ClosedLoopOptions LoopOptions(ParseResult p, out int[]? gpuOrdinals, out bool onGpu)
    {
        double duration = p.GetValue(Duration), warmup = p.GetValue(Warmup), window = p.GetValue(Window);
        if (!double.IsFinite(duration) || duration <= 0)
            throw new UserErrorException(string.Create(CultureInfo.InvariantCulture, $"--duration must be a positive number of seconds, got {duration}."));
        if (!double.IsFinite(warmup) || warmup < 0)
            throw new UserErrorException(string.Create(CultureInfo.InvariantCulture, $"--warmup must be zero or a positive number of seconds, got {warmup}."));
        if (!double.IsFinite(window) || window <= 0)
            throw new UserErrorException(string.Create(CultureInfo.InvariantCulture, $"--window must be a positive number of seconds, got {window}."));
        if (p.GetValue(Concurrency) is < 1)
            throw new UserErrorException($"--concurrency must be at least 1, got {p.GetValue(Concurrency)}.");
        var inputLengths = Range(p, InputLenRange);
        var outputLengths = Range(p, OutputLenRange);

        gpuOrdinals = GpuList.Resolve(p.GetValue(Gpus));
        onGpu = gpuOrdinals is not null || Engine.WillUseGpu(p);

        return new ClosedLoopOptions
        {
            Concurrency = p.GetValue(Concurrency) ?? (onGpu ? GpuConcurrency : CpuConcurrency),
            InputLengths = inputLengths ?? (onGpu ? LengthRange.Standard : CpuInputLengths),
            OutputLengths = outputLengths ?? LengthRange.Standard,
            WarmupSeconds = warmup,
            DurationSeconds = duration,
            StabilityWindowSeconds = window,
            Seed = Engine.SeedOf(p),
        };
    }

    private static LengthRange? Range(ParseResult p, Option<string?> option)
    {
        if (p.GetValue(option) is not { } text)
            return null;
        try
        {
            return LengthRange.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new UserErrorException($"{option.Name}: {ex.Message}.");
        }
    }
}
