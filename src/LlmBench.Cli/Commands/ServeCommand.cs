using System.CommandLine;
using LlmBench.Engine;
using LlmBench.Server;

namespace LlmBench.Cli;

/// <summary>
/// `llmbench serve MODEL`: the OpenAI-compatible server on our engine, with `vllm serve`'s option
/// names. Runs until Ctrl-C or SIGTERM. --data-parallel-size N puts N engines behind the one endpoint.
/// </summary>
internal static class ServeCommand
{
    /// <summary>No default model: serve is told what to serve.</summary>
    private static readonly EngineFlags Engine = new(EngineDefaults.Standard with { Model = null });
    private static readonly Argument<string?> ModelArgument = new("model") { Description = "Model: a Hugging Face directory, a name in the HF cache (e.g. Qwen/Qwen3-0.6B), or a preset with --load-format dummy.", Arity = ArgumentArity.ZeroOrOne };
    private static readonly Option<string> Host = new("--host") { Description = "Address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
    private static readonly Option<int> Port = new("--port") { Description = "Port to listen on.", DefaultValueFactory = _ => 8000 };
    private static readonly Option<string?> ServedModelName = new("--served-model-name") { Description = "Model name clients send and /v1/models lists; defaults to the model." };
    private static readonly Option<string?> ApiKey = new("--api-key") { Description = $"Require \"Authorization: Bearer KEY\" on /v1 routes (401 otherwise); also from {ApiKeyVariable} or --api-key-file, which keep it out of `ps`." };
    private static readonly Option<string?> ApiKeyFile = new("--api-key-file") { Description = "Read the API key from this file (its first line)." };

    /// <summary>The environment variable the API key may come from.</summary>
    public const string ApiKeyVariable = "LLMBENCH_API_KEY";

    /// <summary>serve on the CPU: a few sequences and small steps, so that a burst waits in the queue (or gets 503) instead of every request crawling.</summary>
    public static readonly EngineDefaults CpuDefaults = EngineDefaults.Standard with { Model = null, MaxNumSeqs = 8, MaxNumBatchedTokens = RunCommand.CpuBatchedTokens };
    private static readonly Option<int> MaxWaiting = new("--max-waiting") { Description = "Requests that may wait beyond --max-num-seqs before new ones get 503 (ours).", DefaultValueFactory = _ => 1024 };
    private static readonly Option<int> DataParallelSize = new("--data-parallel-size", "-dp")
    {
        Description = "Engines behind this one endpoint, as vLLM's flag: on GPUs engine i runs on cuda:i, with --device cpu N CPU engines. "
            + "Each request goes to the engine with the fewest requests in flight (ties: the lowest index) and stays there; "
            + "--max-num-seqs and --max-waiting hold per engine.",
        DefaultValueFactory = _ => 1,
    };

    public static Command Create()
    {
        var command = new Command("serve", "Serve a model over the OpenAI API (/v1/completions, /v1/chat/completions, /v1/models, /health, /metrics), as `vllm serve` does.");
        command.Arguments.Add(ModelArgument);
        Engine.AddTo(command);
        Option[] options = [Host, Port, ServedModelName, ApiKey, ApiKeyFile, MaxWaiting, DataParallelSize];
        foreach (var option in options)
            command.Options.Add(option);
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(ct => RunAsync(parseResult, ct), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult p, CancellationToken cancellationToken)
    {
        var (options, specs) = Bind(p);
        var spec = specs[0];
        if (!Engine.WillUseGpu(p))
            Console.Error.WriteLine($"note: serving on the CPU: {spec.Options.MaxNumSeqs} sequences at once and {spec.Options.MaxNumBatchedTokens}-token steps unless --max-num-seqs and --max-num-batched-tokens say otherwise (GPU defaults: {EngineDefaults.Standard.MaxNumSeqs} and {EngineDefaults.Standard.MaxNumBatchedTokens}).");
        if (ExposedWithoutKey(options))
            Console.Error.WriteLine($"warning: listening on {options.Host}, which other machines can reach, without an API key: anyone there can use this server; pass --api-key-file or set {ApiKeyVariable}.");
        await using var host = await ServeHost.StartAsync(options, specs, Console.Error, cancellationToken);
        await host.Server.WaitForShutdownAsync(cancellationToken);
        return 0;
    }

    /// <summary>The server's HTTP options and the engines to open (one, or --data-parallel-size), from the command line.</summary>
    public static (ServerOptions Server, IReadOnlyList<EngineSpec> Engines) Bind(ParseResult p)
    {
        var model = p.GetValue(ModelArgument) ?? p.GetValue(Engine.Model)
            ?? throw new UserErrorException("Name the model to serve: `llmbench serve Qwen/Qwen3-0.6B` (or a model directory, or a preset with --load-format dummy).");
        var options = new ServerOptions
        {
            Host = p.GetValue(Host)!,
            Port = p.GetValue(Port),
            ServedModelName = p.GetValue(ServedModelName) ?? model,
            ModelRoot = model,
            ApiKey = ResolveApiKey(p.GetValue(ApiKey), p.GetValue(ApiKeyFile), Environment.GetEnvironmentVariable(ApiKeyVariable)),
            MaxWaiting = p.GetValue(MaxWaiting),
        };
        options.Validate();
        var onGpu = Engine.WillUseGpu(p);
        var devices = DataParallelDevices.For(p.GetValue(DataParallelSize), p.GetValue(Engine.Device)!, onGpu, DataParallelDevices.UsableGpus);
        var first = Engine.Bind(p, onGpu ? null : CpuDefaults, model: model, device: devices[0]);
        return (options, devices.Select(device => first with { Device = device }).ToArray());
    }

    /// <summary>--api-key, else --api-key-file's first line, else LLMBENCH_API_KEY; null when none is given.</summary>
    public static string? ResolveApiKey(string? flag, string? file, string? environment)
    {
        if (flag is not null && file is not null)
            throw new UserErrorException("Give the API key once: --api-key or --api-key-file, not both.");
        if (file is not null)
        {
            if (!File.Exists(file))
                throw new UserErrorException($"--api-key-file {file} does not exist.");
            var key = File.ReadLines(file).FirstOrDefault()?.Trim();
            return string.IsNullOrEmpty(key) ? throw new UserErrorException($"--api-key-file {file} is empty; its first line must be the key.") : key;
        }

        return !string.IsNullOrEmpty(flag) ? flag : string.IsNullOrWhiteSpace(environment) ? null : environment.Trim();
    }

    /// <summary>True when the server listens beyond this machine (not loopback) with no API key.</summary>
    public static bool ExposedWithoutKey(ServerOptions options)
    {
        if (!string.IsNullOrEmpty(options.ApiKey))
            return false;
        var host = options.Host.Trim('[', ']');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            return false;
        return !System.Net.IPAddress.TryParse(host, out var address) || !System.Net.IPAddress.IsLoopback(address);
    }
}
