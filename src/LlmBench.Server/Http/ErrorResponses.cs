using LlmBench.Server.Protocol;
using Microsoft.AspNetCore.Http;

namespace LlmBench.Server.Http;

/// <summary>Writes OpenAI-style error bodies: {"error": {"message", "type", "param", "code"}}.</summary>
public static class ErrorResponses
{
    public static Task WriteAsync(HttpContext context, OpenAiException error)
    {
        context.Response.StatusCode = error.StatusCode;
        if (error.StatusCode == StatusCodes.Status503ServiceUnavailable)
            context.Response.Headers.RetryAfter = RetryAfterSeconds;
        if (error.StatusCode == StatusCodes.Status408RequestTimeout)
            context.Response.Headers.Connection = "close";
        var body = new ErrorResponse(new ErrorBody(error.Message, error.Type, error.Param, error.Code ?? error.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return context.Response.WriteAsJsonAsync(body, ServerJsonContext.Default.ErrorResponse, contentType: "application/json", context.RequestAborted);
    }

    /// <summary>What a 503 tells a client to wait, in seconds (the Retry-After header).</summary>
    public const string RetryAfterSeconds = "1";

    /// <summary>The routes and the one method each takes; another method on them gets 405 with Allow.</summary>
    public static readonly IReadOnlyDictionary<string, string> Routes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["/v1/completions"] = "POST",
        ["/v1/chat/completions"] = "POST",
        ["/v1/models"] = "GET",
        ["/health"] = "GET",
        ["/metrics"] = "GET",
    };

    /// <summary>The fallback: 405 with Allow on a known route under the wrong method, else 404.</summary>
    public static Task NoRouteAsync(HttpContext context)
    {
        var path = context.Request.Path.Value?.TrimEnd('/') ?? "";
        if (Routes.TryGetValue(path, out var allowed))
        {
            context.Response.Headers.Allow = allowed;
            return WriteAsync(context, new OpenAiException(405,
                $"{context.Request.Method} is not allowed on {path}; it takes {allowed}.", "invalid_request_error", code: "method_not_allowed"));
        }

        return WriteAsync(context, NotFound(context.Request.Path));
    }

    public static OpenAiException BodyTimeout() =>
        new(408, "The request body arrived too slowly (below the server's minimum data rate) and was not read to the end; send it at once.", "invalid_request_error", code: "request_timeout");

    public static OpenAiException NotFound(string path) =>
        new(404, $"No route for {path}; this server offers /v1/completions, /v1/chat/completions, /v1/models, /health and /metrics.", "not_found_error", code: "404");

    public static OpenAiException Unauthorized() =>
        new(401, "Invalid or missing API key: send the header \"Authorization: Bearer <key>\" with the key the server was started with.", "authentication_error", code: "invalid_api_key");

    public static OpenAiException Overloaded(int inFlight) =>
        new(503, $"The server is overloaded ({inFlight} requests in flight, the waiting queue is full); retry later.", "server_error", code: "overloaded");

    public static OpenAiException NoEngine() =>
        new(503, "No engine is running (each one failed; the server log says why); restart the server.", "server_error", code: "engine_dead");

    public static OpenAiException TooLarge(long limitBytes) =>
        new(413, $"The request body is larger than the server's limit of {limitBytes} bytes.", "invalid_request_error", code: "request_too_large");
}
