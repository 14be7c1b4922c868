using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LlmBench.Server.Http;

/// <summary>
/// The two things every request passes: the API key check on /v1 (401 otherwise) and the error
/// barrier that turns refusals into OpenAI error bodies and keeps any fault inside one request.
/// </summary>
public static class RequestGuards
{
    public static RequestDelegate RequireApiKey(RequestDelegate next, string? apiKey)
    {
        if (string.IsNullOrEmpty(apiKey))
            return next;
        var expected = Encoding.UTF8.GetBytes("Bearer " + apiKey);
        return context =>
        {
            if (!context.Request.Path.StartsWithSegments("/v1"))
                return next(context);
            var given = Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString());
            return CryptographicOperations.FixedTimeEquals(given, expected)
                ? next(context)
                : ErrorResponses.WriteAsync(context, ErrorResponses.Unauthorized());
        };
    }

    public static Func<HttpContext, Task> Guarded(Func<HttpContext, Task> handler, ILogger logger) => async context =>
    {
        try
        {
            await handler(context);
        }
        catch (OpenAiException ex) when (!context.Response.HasStarted)
        {
            if (ex.StatusCode == StatusCodes.Status408RequestTimeout)
                logger.LogWarning("Request {Path} from {Remote}: 408, {Message}", context.Request.Path, context.Connection.RemoteIpAddress, ex.Message);
            await ErrorResponses.WriteAsync(context, ex);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client left; its request was aborted in the engine.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogError(ex, "Request {Path} failed", context.Request.Path);
            if (context.Response.HasStarted)
                context.Abort();
            else
                await ErrorResponses.WriteAsync(context, new OpenAiException(500, $"Internal server error: {ex.Message}", "server_error"));
        }
    };
}
