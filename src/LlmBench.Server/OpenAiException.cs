namespace LlmBench.Server;

/// <summary>
/// A request the server refuses, with what OpenAI's error body carries: {"error": {"message", "type",
/// "param", "code"}} and the HTTP status. Thrown by validation, caught once by the endpoint wrapper.
/// </summary>
public sealed class OpenAiException : Exception
{
    public OpenAiException(int statusCode, string message, string type = "invalid_request_error", string? param = null, string? code = null)
        : base(message)
    {
        StatusCode = statusCode;
        Type = type;
        Param = param;
        Code = code;
    }

    public int StatusCode { get; }
    public string Type { get; }
    public string? Param { get; }
    public string? Code { get; }

    public static OpenAiException BadRequest(string message, string? param = null, string? code = null) => new(400, message, "invalid_request_error", param, code);
}
