using LlmBench.Server.Protocol;
using Microsoft.AspNetCore.Http;

namespace LlmBench.Server.Http;

/// <summary>GET /v1/models, /health (200 while at least one engine runs, 503 when none does) and /metrics (Prometheus text).</summary>
public sealed class InfoEndpoints(ServerState state)
{
    public Task ModelsAsync(HttpContext context)
    {
        var name = state.Options.ServedModelName;
        var list = new ModelList("list", [new ModelCard(name, "model", state.StartedUnixSeconds, "llmbench", state.Options.ModelRoot ?? name, state.MaxModelLength)]);
        return context.Response.WriteAsJsonAsync(list, ServerJsonContext.Default.ModelList, "application/json", context.RequestAborted);
    }

    public Task HealthAsync(HttpContext context)
    {
        var healthy = state.Engines.AnyRunning;
        context.Response.StatusCode = healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        if (!healthy)
            context.Response.Headers.RetryAfter = ErrorResponses.RetryAfterSeconds;
        return Task.CompletedTask;
    }

    public Task MetricsAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        return context.Response.WriteAsync(state.Metrics.Render(state.Engines.Stats()), context.RequestAborted);
    }
}
