using LlmBench.Server;

namespace LlmBench.Cli;

/// <summary>
/// `llmbench serve` once started: the engine opened through <see cref="EngineHost"/> and the HTTP server over
/// it. Disposing stops the server first, then frees the engine and the model.
/// </summary>
internal sealed class ServeHost : IAsyncDisposable
{
    private ServeHost(LlmServer server, OpenedEngine opened)
    {
        Server = server;
        Opened = opened;
    }

    public LlmServer Server { get; }

    public OpenedEngine Opened { get; }

    public Uri BaseUrl => Server.BaseUrl;

    /// <summary>Opens the engine, starts listening, and tells <paramref name="log"/> what runs where.</summary>
    public static async Task<ServeHost> StartAsync(ServerOptions options, EngineSpec spec, TextWriter log, CancellationToken cancellationToken)
    {
        options.Validate();
        var opened = EngineHost.Open(spec);
        try
        {
            var server = LlmServer.Create(options, opened.Engine, opened.Tokenizer, opened.Model.Config.VocabSize, spec.Options.MaxNumSeqs);
            try
            {
                await server.StartAsync(cancellationToken);
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }

            var host = new ServeHost(server, opened);
            foreach (var line in host.StartupLines())
                await log.WriteLineAsync(line);
            return host;
        }
        catch (IOException ex) when (ex.Message.Contains("Failed to bind", StringComparison.Ordinal))
        {
            opened.Dispose();
            throw new UserErrorException($"Cannot listen on {options.Host}:{options.Port} ({ex.Message}); pick another --port or stop what uses it.", ex);
        }
        catch
        {
            opened.Dispose();
            throw;
        }
    }

    /// <summary>Start-up lines: dummy weights, a CPU fallback and a missing tokenizer are said plainly, never implied.</summary>
    public IEnumerable<string> StartupLines()
    {
        var model = Opened.Model;
        if (model.Notice is not null)
            yield return $"note: {model.Notice}";
        if (model.IsDummy)
            yield return $"note: {model.Name} runs with dummy weights (seeded random values with the real shapes): its text is meaningless, its speed is real.";
        if (Opened.FallbackReason is not null)
            yield return $"note: running on the CPU because {Opened.FallbackReason}; pass --device cuda to require a GPU.";
        if (Opened.Tokenizer is null)
            yield return $"note: {model.Name} has no tokenizer.json and its vocabulary ({model.Config.VocabSize}) is not Qwen3's: /v1/completions takes token-id prompts only.";
        yield return $"Serving {Server.State.Options.ServedModelName} ({model.Description}) on {BaseUrl} with {Opened.DeviceDescription}, "
            + $"max model length {Server.State.MaxModelLength}, started in {Opened.StartupTime.TotalSeconds:F1} s; Ctrl-C stops.";
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Opened.Dispose();
    }
}
