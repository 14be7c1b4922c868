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

namespace LlmBench.LoadGen.Tests.Performance;

/// <summary>
/// The trivial endpoint of the client-capacity benchmark: answers every completion at once with 16
/// chunks (one flush each), a usage chunk and [DONE], and notes when it flushed the first chunk.
/// </summary>
internal sealed class InstantServer : IAsyncDisposable
{
    public const int Chunks = 16;

    private static readonly byte[] Chunk = Encoding.UTF8.GetBytes("data: {\"id\":\"x\",\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\" tok\",\"finish_reason\":null}]}\n\n");
    private static readonly byte[] Tail = Encoding.UTF8.GetBytes($"data: {{\"id\":\"x\",\"object\":\"text_completion\",\"choices\":[],\"usage\":{{\"prompt_tokens\":8,\"completion_tokens\":{Chunks},\"total_tokens\":{Chunks + 8}}}}}\n\ndata: [DONE]\n\n");

    private readonly WebApplication _app;

    private InstantServer(WebApplication app) => _app = app;

    public ConcurrentDictionary<string, long> FirstFlushTicks { get; } = new();

    public Uri CompletionsUrl => new(new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()), "/v1/completions");

    public static async Task<InstantServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new InstantServer(app);
        app.MapPost("/v1/completions", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/event-stream";
            var body = context.Response.Body;
            for (int i = 0; i < Chunks; i++)
            {
                await body.WriteAsync(Chunk);
                await body.FlushAsync();
                if (i == 0)
                    server.FirstFlushTicks[context.Request.Headers["x-request-id"].ToString()] = Stopwatch.GetTimestamp();
            }

            await body.WriteAsync(Tail);
        });
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
