using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmBench.LoadGen.Tests.Fakes;

/// <summary>How the scripted server answers one request.</summary>
internal sealed record ChunkScript
{
    public double FirstChunkDelayMs { get; init; }

    /// <summary>Delay before each chunk after the first: chunk count = gaps + 1.</summary>
    public double[] GapsMs { get; init; } = [];

    public string ChunkText { get; init; } = "ab";

    /// <summary>completion_tokens of the final usage chunk; null sends no usage chunk.</summary>
    public int? UsageTokens { get; init; }

    public bool SendDone { get; init; } = true;
    public int StatusCode { get; init; } = 200;

    /// <summary>Writes each chunk in two halves with a flush between, so the client sees split events.</summary>
    public bool SplitChunks { get; init; }

    /// <summary>Sends an OpenAI error object as the last event instead of finishing normally.</summary>
    public bool ErrorMidStream { get; init; }
}

/// <summary>
/// A Kestrel server on 127.0.0.1, port 0, streaming OpenAI completion chunks on a script with known
/// delays. It notes when each chunk was flushed on the shared Stopwatch clock, per x-request-id, so
/// tests compare the client's timings with the server's own.
/// </summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    /// <summary>Per request id, when the server began writing each chunk (Stopwatch ticks, taken before the write).</summary>
    public ConcurrentDictionary<string, long[]> FlushTicks { get; } = new();
    public ConcurrentQueue<string> RequestIds { get; } = new();

    /// <summary>Every request's headers (name → value) and body, in arrival order.</summary>
    public ConcurrentQueue<(Dictionary<string, string> Headers, string Body)> Received { get; } = new();
    public Uri BaseUrl { get; }
    public Uri CompletionsUrl => new(BaseUrl, "/v1/completions");
    public Uri ChatUrl => new(BaseUrl, "/v1/chat/completions");

    private ScriptedServer(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public static async Task<ScriptedServer> StartAsync(Func<string, ChunkScript> scriptFor, string? apiKey = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        ScriptedServer? server = null;
        async Task Handle(HttpContext context)
        {
            var id = context.Request.Headers["x-request-id"].ToString();
            server!.RequestIds.Enqueue(id);
            using (var reader = new StreamReader(context.Request.Body))
            {
                var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
                server.Received.Enqueue((headers, await reader.ReadToEndAsync()));
            }

            if (apiKey is not null && context.Request.Headers.Authorization.ToString() != "Bearer " + apiKey)
            {
                context.Response.StatusCode = 401;
                await context.Response.WriteAsync("{\"error\":{\"message\":\"bad key\",\"type\":\"invalid_request_error\"}}");
                return;
            }

            await server.StreamAsync(context, id, scriptFor(id));
        }

        app.MapPost("/v1/completions", (RequestDelegate)Handle);
        app.MapPost("/v1/chat/completions", (RequestDelegate)Handle);
        app.MapGet("/v1/models", () => Results.Text("{\"object\":\"list\",\"data\":[{\"id\":\"scripted-model\",\"object\":\"model\"}]}", "application/json"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new ScriptedServer(app, new Uri(address));
        return server;
    }

    private async Task StreamAsync(HttpContext context, string id, ChunkScript script)
    {
        var response = context.Response;
        if (script.StatusCode != 200)
        {
            response.StatusCode = script.StatusCode;
            await response.WriteAsync("{\"error\":{\"message\":\"scripted failure\",\"type\":\"server_error\"}}");
            return;
        }

        response.ContentType = "text/event-stream";
        var ticks = new long[script.GapsMs.Length + 1];
        for (int i = 0; i < ticks.Length; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(i == 0 ? script.FirstChunkDelayMs : script.GapsMs[i - 1]));
            var chunk = Encoding.UTF8.GetBytes($"data: {{\"id\":\"{id}\",\"object\":\"text_completion\",\"choices\":[{{\"index\":0,\"text\":\"{script.ChunkText}\",\"finish_reason\":null}}]}}\n\n");
            ticks[i] = Stopwatch.GetTimestamp(); // before the first byte leaves: no client can see the chunk earlier
            if (script.SplitChunks)
            {
                await response.Body.WriteAsync(chunk.AsMemory(0, chunk.Length / 2));
                await response.Body.FlushAsync();
                await Task.Delay(2);
                await response.Body.WriteAsync(chunk.AsMemory(chunk.Length / 2));
            }
            else
            {
                await response.Body.WriteAsync(chunk);
            }

            await response.Body.FlushAsync();
        }

        FlushTicks[id] = ticks;
        if (script.ErrorMidStream)
        {
            await response.WriteAsync("data: {\"error\":{\"message\":\"engine died\",\"type\":\"server_error\"}}\n\n");
            return;
        }

        if (script.UsageTokens is { } tokens)
            await response.WriteAsync($"data: {{\"choices\":[],\"usage\":{{\"prompt_tokens\":3,\"completion_tokens\":{tokens},\"total_tokens\":{tokens + 3}}}}}\n\n");
        if (script.SendDone)
            await response.WriteAsync("data: [DONE]\n\n");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
