using System.CommandLine;
using System.Diagnostics;
using LlmBench.Benchmarks.Frameworks;
using LlmBench.Benchmarks.Lockstep;
using LlmBench.Benchmarks.Platform;
using LlmBench.Benchmarks.Running;
using LlmBench.Engine.Loading;
using LlmBench.Gpu;

namespace LlmBench.Cli;

/// <summary>What every backend of a lockstep command is opened from: the parsed flags and the largest batch it will run.</summary>
/// <param name="Device">`sweep --gpus`: the device of this one of the engines ("cuda:1"), over --device; null: as --device says.</param>
internal sealed record BackendContext(EngineFlags Engine, BackendFlags Flags, ParseResult Parse, int LargestBatch, CancellationToken Cancel, string? Device = null);

/// <summary>
/// Opens the backend a lockstep command names (--backend) on the calling thread: llmbench's engine (eager with
/// llmbench-eager), the Hugging Face worker on the same weights (a dummy model is written once as an HF directory), or an
/// OpenAI-compatible server (started by --launch when given).
/// </summary>
internal static class LockstepBackends
{
    public static OpenedBackend Open(string name, BackendContext c) => name switch
    {
        "llmbench" or "llmbench-eager" => OpenEngine(name, c),
        "hf" or "hf-compile" => OpenHf(name, c),
        "openai" => OpenAiBackend.Open(c),
        _ => throw new UserErrorException($"--backend {name} is not known."),
    };

    /// <summary>The engine spec of llmbench's backends, bound once (and raised to the largest batch).</summary>
    public static EngineSpec Spec(BackendContext c, bool eager = false)
    {
        var spec = LockstepEngine.Bind(c.Engine, c.Parse, c.LargestBatch, c.Device);
        return eager ? spec with { Options = spec.Options with { EnforceEager = true } } : spec;
    }

    private static OpenedBackend OpenEngine(string name, BackendContext c)
    {
        var opened = EngineHost.Open(Spec(c, eager: name == "llmbench-eager"));
        return new OpenedBackend
        {
            Name = name,
            Backend = new EngineLockstepBackend(opened.Engine, name, new StopwatchClock()),
            Description = opened.UnderTest,
            Engine = opened,
        };
    }

    private static OpenedBackend OpenHf(string name, BackendContext c)
    {
        var spec = c.Engine.Bind(c.Parse);
        var choice = DeviceChoice.Parse(spec.Device);
        if (choice.Kind == DeviceKind.Cpu)
            throw new UserErrorException($"The {name} backend runs on a GPU (the worker needs a CUDA build of torch); drop --device cpu.");
        var clock = Stopwatch.StartNew();
        var model = EngineHost.LoadModel(spec);
        try
        {
            var cache = GpuPaths.FromEnvironment().DataDirectory;
            var directory = HfModelDirectory.For(model, cache, line => Console.Error.WriteLine(line));
            var options = new HfWorkerOptions(name, c.Parse.GetValue(c.Flags.Python)!, WorkerScript.Materialize(cache), directory, $"cuda:{choice.Ordinal}",
                c.Flags.CompileModeList(c.Parse), spec.Options.Seed, line => Console.Error.WriteLine($"[{name}] {line}"));
            var backend = HfWorkerBackend.Open(options, model.Config.MaxPositionEmbeddings, c.Cancel);
            int? ordinal = CudaBackend.IsAvailable(choice.Ordinal, out _) ? choice.Ordinal : null;
            return new OpenedBackend
            {
                Name = name,
                Backend = backend,
                Description = new EngineUnderTest(model, $"cuda:{choice.Ordinal} {backend.Description}", ordinal, null, clock.Elapsed),
                Owned = model,
            };
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
