using LlmBench.Server.Protocol;
using Microsoft.AspNetCore.Http;

namespace LlmBench.Server.Http;

/// <summary>Writes OpenAI-style error bodies: {"error": {"message", "type", "param", "code"}}.</summary>
public static class ErrorResponses
{
    public static Task WriteAsync(HttpContext context, OpenAiException error)
    {
        context.Response.StatusCode = error.StatusCode;
        var body = new ErrorResponse(new ErrorBody(error.Message, error.Type, error.Param, error.Code ?? error.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return context.Response.WriteAsJsonAsync(body, ServerJsonContext.Default.ErrorResponse, contentType: "application/json", context.RequestAborted);
    }

    public static OpenAiException NotFound(string path) =>
        new(404, $"No route for {path}; this server offers /v1/completions, /v1/chat/completions, /v1/models, /health and /metrics.", "not_found_error", code: "404");

    public static OpenAiException Unauthorized() =>
        new(401, "Invalid or missing API key: send the header \"Authorization: Bearer <key>\" with the key the server was started with.", "authentication_error", code: "invalid_api_key");

    public static OpenAiException Overloaded(int inFlight) =>
        new(503, $"The server is overloaded ({inFlight} requests in flight, the waiting queue is full); retry later.", "server_error", code: "overloaded");

    public static OpenAiException TooLarge(long limitBytes) =>
        new(413, $"The request body is larger than the server's limit of {limitBytes} bytes.", "invalid_request_error", code: "request_too_large");
}
