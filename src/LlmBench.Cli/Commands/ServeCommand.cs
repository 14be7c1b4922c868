using System.CommandLine;
using LlmBench.Engine;
using LlmBench.Server;

namespace LlmBench.Cli;

/// <summary>
/// `llmbench serve MODEL`: the OpenAI-compatible server on our engine, with `vllm serve`'s option
/// names. Runs until Ctrl-C or SIGTERM.
/// </summary>
internal static class ServeCommand
{
    private static readonly Argument<string?> ModelArgument = new("model") { Description = "Model: a Hugging Face directory, a name in the HF cache (e.g. Qwen/Qwen3-0.6B), or a preset with --load-format dummy.", Arity = ArgumentArity.ZeroOrOne };
    private static readonly Option<string?> Model = new("--model") { Description = "The model, if not given as the argument." };
    private static readonly Option<string> Host = new("--host") { Description = "Address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
    private static readonly Option<int> Port = new("--port") { Description = "Port to listen on.", DefaultValueFactory = _ => 8000 };
    private static readonly Option<string?> ServedModelName = new("--served-model-name") { Description = "Model name clients send and /v1/models lists; defaults to the model." };
    private static readonly Option<int?> MaxModelLen = new("--max-model-len") { Description = "Context length (prompt + output tokens); defaults to the model's, capped by the KV cache." };
    private static readonly Option<int> MaxNumSeqs = new("--max-num-seqs") { Description = "Sequences running at once.", DefaultValueFactory = _ => 256 };
    private static readonly Option<int> MaxNumBatchedTokens = new("--max-num-batched-tokens") { Description = "Tokens per engine step (decodes plus prefill chunks).", DefaultValueFactory = _ => 8192 };
    private static readonly Option<double> GpuMemoryUtilization = new("--gpu-memory-utilization") { Description = "Share of GPU memory the engine may use.", DefaultValueFactory = _ => 0.9 };
    private static readonly Option<bool> EnforceEager = new("--enforce-eager") { Description = "No CUDA graphs (GPU only)." };
    private static readonly Option<string?> ApiKey = new("--api-key") { Description = "Require \"Authorization: Bearer KEY\" on /v1 routes (401 otherwise)." };
    private static readonly Option<string> Device = new("--device") { Description = "cuda, cpu, or auto (cuda when a GPU is present).", DefaultValueFactory = _ => "auto" };
    private static readonly Option<string> LoadFormat = new("--load-format") { Description = "auto (the model's safetensors; a preset not downloaded runs with dummy weights), safetensors, or dummy (seeded random weights with the real shapes).", DefaultValueFactory = _ => "auto" };
    private static readonly Option<int> MaxWaiting = new("--max-waiting") { Description = "Requests that may wait beyond --max-num-seqs before new ones get 503 (ours).", DefaultValueFactory = _ => 1024 };

    public static Command Create()
    {
        var command = new Command("serve", "Serve a model over the OpenAI API (/v1/completions, /v1/chat/completions, /v1/models, /health, /metrics), as `vllm serve` does.");
        command.Arguments.Add(ModelArgument);
        Option[] options = [Model, Host, Port, ServedModelName, MaxModelLen, MaxNumSeqs, MaxNumBatchedTokens, GpuMemoryUtilization, EnforceEager, ApiKey, Device, LoadFormat, MaxWaiting];
        foreach (var option in options)
            command.Options.Add(option);
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(ct => RunAsync(parseResult, ct), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult p, CancellationToken cancellationToken)
    {
        var (options, spec) = Bind(p);
        await using var host = await ServeHost.StartAsync(options, spec, Console.Error, cancellationToken);
        await host.Server.WaitForShutdownAsync(cancellationToken);
        return 0;
    }

    /// <summary>The server's options and the engine to open, from the command line; --max-num-seqs and the other engine flags go to both.</summary>
    public static (ServerOptions Server, EngineSpec Engine) Bind(ParseResult p)
    {
        var model = p.GetValue(ModelArgument) ?? p.GetValue(Model)
            ?? throw new UserErrorException("Name the model to serve: `llmbench serve Qwen/Qwen3-0.6B` (or a model directory, or a preset with --load-format dummy).");
        var options = new ServerOptions
        {
            Host = p.GetValue(Host)!,
            Port = p.GetValue(Port),
            ServedModelName = p.GetValue(ServedModelName) ?? model,
            MaxModelLength = p.GetValue(MaxModelLen),
            MaxNumSeqs = p.GetValue(MaxNumSeqs),
            MaxNumBatchedTokens = p.GetValue(MaxNumBatchedTokens),
            GpuMemoryUtilization = p.GetValue(GpuMemoryUtilization),
            EnforceEager = p.GetValue(EnforceEager),
            ApiKey = p.GetValue(ApiKey),
            Device = p.GetValue(Device)!,
            MaxWaiting = p.GetValue(MaxWaiting),
        };
        options.Validate();
        var engine = new EngineOptions
        {
            MaxNumSeqs = options.MaxNumSeqs,
            MaxNumBatchedTokens = p.GetValue(MaxNumBatchedTokens),
            MaxModelLen = options.MaxModelLength,
            GpuMemoryUtilization = options.GpuMemoryUtilization,
            EnforceEager = options.EnforceEager,
        };
        var spec = new EngineSpec
        {
            Model = model,
            Format = EngineSpec.ParseFormat(p.GetValue(LoadFormat)!),
            Device = options.Device,
            Options = engine.Validate(),
        };
        return (options, spec);
    }
}
