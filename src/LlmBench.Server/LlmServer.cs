using LlmBench.Engine.Api;
using LlmBench.Server.Http;
using LlmBench.Server.Dispatch;
using LlmBench.Server.Metrics;
using LlmBench.Server.Protocol;
using LlmBench.Text.Tokenization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmBench.Server;

/// <summary>
/// The OpenAI-compatible server over any <see cref="IInferenceEngine"/>: Kestrel with minimal APIs,
/// each engine on its own loop thread (several behind one endpoint with `serve --data-parallel-size N`), and the routes
/// of `vllm serve`. The caller keeps ownership of the engines and disposes them after the server.
/// </summary>
public sealed class LlmServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly EnginePool _engines;

    private LlmServer(WebApplication app, EnginePool engines)
    {
        _app = app;
        _engines = engines;
    }

    public ServerState State => _app.Services.GetRequiredService<ServerState>();

    /// <summary>The address Kestrel bound (port 0 resolved), once started.</summary>
    public Uri BaseUrl => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <param name="tokenizer">Null for a model without one: it then takes token-id prompts only and answers with empty text
    /// (token ids come back with return_token_ids), as vLLM does with skip_tokenizer_init.</param>
    /// <param name="vocabularySize">Token ids a client may send lie in [0, vocabularySize).</param>
    /// <param name="maxNumSeqs">The engine's --max-num-seqs: requests beyond it and --max-waiting get 503.</param>
    public static LlmServer Create(ServerOptions options, IInferenceEngine engine, ITextTokenizer? tokenizer, int vocabularySize, int maxNumSeqs, LogLevel logLevel = LogLevel.Warning) =>
        Create(options, [engine], tokenizer, vocabularySize, maxNumSeqs, logLevel);

    /// <summary>
    /// One endpoint over several engines of the same model (data parallel): each request goes to the least-loaded one
    /// (<see cref="EnginePool"/>), and a request gets 503 only when every engine holds <paramref name="maxNumSeqs"/> plus
    /// --max-waiting requests. Prompts are checked against the smallest of the engines' model lengths.
    /// </summary>
    /// <param name="maxNumSeqs">Each engine's --max-num-seqs.</param>
    public static LlmServer Create(ServerOptions options, IReadOnlyList<IInferenceEngine> engines, ITextTokenizer? tokenizer, int vocabularySize, int maxNumSeqs, LogLevel logLevel = LogLevel.Warning)
    {
        options.Validate();
        if (engines.Count == 0)
            throw new ArgumentException("The server needs at least one engine.", nameof(engines));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(logLevel);
        var host = options.Host.Contains(':', StringComparison.Ordinal) ? $"[{options.Host}]" : options.Host;
        builder.WebHost.UseUrls($"http://{host}:{options.Port}");
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            k.Limits.MinRequestBodyDataRate = new MinDataRate(options.MinRequestBodyBytesPerSecond, options.RequestBodyGracePeriod);
        });

        var maxModelLength = engines.Min(e => e.MaxModelLength);
        var translator = new RequestTranslator(options.ServedModelName, tokenizer, maxModelLength, vocabularySize,
            engines.All(e => e.ComputesLogprobs) ? null : LlmBench.Engine.LlmEngine.LogprobsUnsupported);
        var pool = new EnginePool(engines);
        var state = new ServerState(options, pool, tokenizer, translator, new ServerMetrics(options.ServedModelName, engines.Count), maxModelLength, maxNumSeqs);
        builder.Services.AddSingleton(state);

        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("llmbench.serve");
        app.Use(next => RequestGuards.RequireApiKey(next, options.ApiKey));
        var generation = new GenerationEndpoints(state);
        var info = new InfoEndpoints(state);
        app.MapPost("/v1/completions", RequestGuards.Guarded(generation.CompletionsAsync, logger).Invoke);
        app.MapPost("/v1/chat/completions", RequestGuards.Guarded(generation.ChatCompletionsAsync, logger).Invoke);
        app.MapGet("/v1/models", RequestGuards.Guarded(info.ModelsAsync, logger).Invoke);
        app.MapGet("/health", info.HealthAsync);
        app.MapGet("/metrics", info.MetricsAsync);
        app.MapFallback(ErrorResponses.NoRouteAsync);
        return new LlmServer(app, pool);
    }

    /// <summary>Warms the request path's tokenizer, then starts listening.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        WarmUp(State.Tokenizer);
        return _app.StartAsync(cancellationToken);
    }

    /// <summary>
    /// Encodes and streams back a short mixed text once, so that the first wave of requests does not wait on
    /// the JIT compiling the tokenizer (a hundred milliseconds and more while many requests arrive at once).
    /// </summary>
    private static void WarmUp(ITextTokenizer? tokenizer)
    {
        if (tokenizer is null)
            return;
        var ids = tokenizer.Encode("Warm-up: prose, code `x += 1;`, 数字 123, émoji 🙂.");
        var detokenizer = tokenizer.CreateDetokenizer();
        foreach (var id in ids)
            detokenizer.Push(id);
    }

    /// <summary>Completes when the host stops (Ctrl-C, SIGTERM) or <paramref name="cancellationToken"/> fires.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) =>
        Task.WhenAny(Task.Delay(Timeout.Infinite, _app.Lifetime.ApplicationStopping), Task.Delay(Timeout.Infinite, cancellationToken));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _engines.Dispose();
    }
}
