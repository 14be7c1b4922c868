using LlmBench.Server;

namespace LlmBench.Cli;

/// <summary>
/// `llmbench serve` once started: the engines opened through <see cref="EngineHost"/> (one, or one per
/// --data-parallel-size) and the HTTP server over them. Disposing stops the server first, then frees the engines and models.
/// </summary>
internal sealed class ServeHost : IAsyncDisposable
{
    private ServeHost(LlmServer server, IReadOnlyList<OpenedEngine> engines)
    {
        Server = server;
        Engines = engines;
    }

    public LlmServer Server { get; }

    /// <summary>The engines in dispatch order (engine="i" in /metrics).</summary>
    public IReadOnlyList<OpenedEngine> Engines { get; }

    /// <summary>The first engine: the model, tokenizer and notes every engine shares.</summary>
    public OpenedEngine Opened => Engines[0];

    public Uri BaseUrl => Server.BaseUrl;

    /// <summary>Opens the engines one after another, starts listening, and tells <paramref name="log"/> what runs where.</summary>
    public static async Task<ServeHost> StartAsync(ServerOptions options, IReadOnlyList<EngineSpec> specs, TextWriter log, CancellationToken cancellationToken)
    {
        options.Validate();
        var opened = new List<OpenedEngine>(specs.Count);
        try
        {
            foreach (var spec in specs)
                opened.Add(EngineHost.Open(spec));
            var first = opened[0];
            var server = LlmServer.Create(options, opened.Select(o => o.Engine).ToArray(), first.Tokenizer, first.Model.Config.VocabSize, specs[0].Options.MaxNumSeqs);
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
            DisposeAll(opened);
            throw new UserErrorException($"Cannot listen on {options.Host}:{options.Port} ({ex.Message}); pick another --port or stop what uses it.", ex);
        }
        catch
        {
            DisposeAll(opened);
            throw;
        }
    }

    private static void DisposeAll(IEnumerable<OpenedEngine> engines)
    {
        foreach (var engine in engines)
            engine.Dispose();
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
        var devices = Engines.Count == 1
            ? Opened.DeviceDescription
            : $"{Engines.Count} engines (data parallel, each request to the least-loaded): {string.Join("; ", Engines.Select((e, i) => $"{i} on {e.DeviceDescription}"))}";
        yield return $"Serving {Server.State.Options.ServedModelName} ({model.Description}) on {BaseUrl} with {devices}, "
            + $"max model length {Server.State.MaxModelLength}, started in {Opened.StartupTime.TotalSeconds:F1} s; Ctrl-C stops.";
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        DisposeAll(Engines);
    }
}
