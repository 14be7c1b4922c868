using System.CommandLine;
using LlmBench.Benchmarks.Platform;
using LlmBench.Engine;
using LlmBench.Engine.Cuda.Profiling;
using LlmBench.Reports.Results;

namespace LlmBench.Cli;

/// <summary>
/// `llmbench profile`: where a prefill step's and a decode step's time goes, kernel by kernel, with the bytes each
/// must move and the bandwidth it reached. The instrument for performance work: record its table before and after.
/// </summary>
internal static class ProfileCommand
{
    private static readonly EngineFlags Engine = new(EngineDefaults.Standard);
    private static readonly Option<int> BatchSize = new("--batch-size") { Description = "Sequences decoding together (a lockstep batch).", DefaultValueFactory = _ => 1 };
    private static readonly Option<int> InputLen = new("--input-len") { Description = "Prompt tokens per sequence: the prefill step profiled is the first step of these prompts.", DefaultValueFactory = _ => 128 };
    private static readonly Option<int> OutputLen = new("--output-len") { Description = "Output tokens per sequence; the decode step is profiled near the middle of the output, at context input + output/2.", DefaultValueFactory = _ => 128 };
    private static readonly Option<string?> OutputDir = new("--output-dir") { Description = "Folder for profile.json, profile.csv and profile.md (default: results/profile-<model>-<date>-bs<N>/)." };

    public static Command Create()
    {
        var command = new Command("profile",
            "Profile the CUDA engine's steps: for the first prefill step and a mid-output decode step of a lockstep batch, each " +
            "kernel role (norms, q/k/v/o and MLP projections, RoPE, attention, LM head, sampling) with its calls per step, µs per step, " +
            "share, the bytes it must move and the GB/s it reached against `llmbench peak`'s measured bandwidth; and the production " +
            "decode step (CUDA graphs) timed beside it. Per-call times come from CUDA events between the calls of an eager pass " +
            "queued behind a GPU hold (no launch gaps; programmatic launch off), which the output states. Where CUPTI (the CUDA " +
            "profiling tools interface) is found, a few production decode steps are also traced kernel by kernel as they really run " +
            "(graph replays, programmatic launch): each kernel's launches and µs per step, and the GPU's idle time between kernels; " +
            "otherwise the output says why there is no trace. Needs an NVIDIA GPU.");
        Engine.AddTo(command);
        Option[] options = [BatchSize, InputLen, OutputLen, OutputDir];
        foreach (var option in options)
            command.Options.Add(option);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(token => RunAsync(parse, token), ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult p, CancellationToken cancellationToken)
    {
        var request = new ProfileRequest(p.GetValue(BatchSize), p.GetValue(InputLen), p.GetValue(OutputLen)) { Seed = Engine.SeedOf(p) };
        var spec = Engine.Bind(p);
        if (spec.Options.MaxNumSeqs < request.BatchSize)
            spec = spec with { Options = spec.Options with { MaxNumSeqs = request.BatchSize, MaxNumBatchedTokens = Math.Max(spec.Options.MaxNumBatchedTokens, request.BatchSize) } };
        CudaStepProfiler.Validate(request, spec.Options);
        var device = DeviceChoice.Parse(spec.Device);
        if (device.Kind == DeviceKind.Cpu)
            throw new UserErrorException("profile times CUDA kernels; run it with --device auto, cuda or cuda:N on a machine with an NVIDIA GPU.");
        if (!CudaBackend.IsAvailable(device.Ordinal, out var reason))
            throw new UserErrorException($"profile needs an NVIDIA GPU and the CUDA engine, and cuda:{device.Ordinal} is not usable: {GpuCommandRunner.WithoutPathsTried(reason)} (`llmbench gpu --verbose` lists the paths tried).");

        using var model = EngineHost.LoadModel(spec);
        var gpu = GpuIdentity.Find(device.Ordinal);
        var configuration = CommandConfiguration.From(p, request.Seed);
        var run = await Task.Run(() => CudaBackend.Profile(model, spec.Options, device.Ordinal, request,
            stage => Console.Error.WriteLine($"profile: {stage}"), cancellationToken), cancellationToken);
        var result = ProfileResults.Build(run, model, gpu, configuration with { EngineOptions = EngineOptionsDescription.Of(spec, run.Options.MaxModelLen!.Value, run.Options.NumKvBlocks, run.Options.Quantization, model.Config.Quantization) });
        Console.Out.Write(Reports.Profiling.Export.ProfileResultMarkdown.Render(result));
        var folder = p.GetValue(OutputDir) ?? Path.Combine("results", $"profile-{ResultPaths.Slug(result.Model.Name)}-{result.Date}-bs{request.BatchSize}");
        await Console.Error.WriteLineAsync(ResultPaths.SavedLine(ResultFolderWriter.Write(result, folder, "profile", ResultExporters.Profile)));
        return 0;
    }
}
