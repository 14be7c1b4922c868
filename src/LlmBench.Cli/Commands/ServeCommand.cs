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
    /// <summary>No default model: serve is told what to serve.</summary>
    private static readonly EngineFlags Engine = new(EngineDefaults.Standard with { Model = null });
    private static readonly Argument<string?> ModelArgument = new("model") { Description = "Model: a Hugging Face directory, a name in the HF cache (e.g. Qwen/Qwen3-0.6B), or a preset with --load-format dummy.", Arity = ArgumentArity.ZeroOrOne };
    private static readonly Option<string> Host = new("--host") { Description = "Address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
    private static readonly Option<int> Port = new("--port") { Description = "Port to listen on.", DefaultValueFactory = _ => 8000 };
    private static readonly Option<string?> ServedModelName = new("--served-model-name") { Description = "Model name clients send and /v1/models lists; defaults to the model." };
    private static readonly Option<string?> ApiKey = new("--api-key") { Description = "Require \"Authorization: Bearer KEY\" on /v1 routes (401 otherwise)." };
    private static readonly Option<int> MaxWaiting = new("--max-waiting") { Description = "Requests that may wait beyond --max-num-seqs before new ones get 503 (ours).", DefaultValueFactory = _ => 1024 };

    public static Command Create()
    {
        var command = new Command("serve", "Serve a model over the OpenAI API (/v1/completions, /v1/chat/completions, /v1/models, /health, /metrics), as `vllm serve` does.");
        command.Arguments.Add(ModelArgument);
        Engine.AddTo(command);
        Option[] options = [Host, Port, ServedModelName, ApiKey, MaxWaiting];
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

    /// <summary>The server's HTTP options and the engine to open, from the command line.</summary>
    public static (ServerOptions Server, EngineSpec Engine) Bind(ParseResult p)
    {
        var model = p.GetValue(ModelArgument) ?? p.GetValue(Engine.Model)
            ?? throw new UserErrorException("Name the model to serve: `llmbench serve Qwen/Qwen3-0.6B` (or a model directory, or a preset with --load-format dummy).");
        var options = new ServerOptions
        {
            Host = p.GetValue(Host)!,
            Port = p.GetValue(Port),
            ServedModelName = p.GetValue(ServedModelName) ?? model,
            ApiKey = p.GetValue(ApiKey),
            MaxWaiting = p.GetValue(MaxWaiting),
        };
        options.Validate();
        return (options, Engine.Bind(p, model: model));
    }
}
