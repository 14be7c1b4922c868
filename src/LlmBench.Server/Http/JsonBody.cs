using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace LlmBench.Server.Http;

/// <summary>
/// Reads a request body with source-generated JSON, mapping malformed JSON (invalid UTF-8 included) to 400, oversized
/// bodies to 413 and a body sent too slowly (Kestrel's minimum body data rate) to 408.
/// </summary>
public static class JsonBody
{
    public static async Task<T> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> type, long limitBytes)
        where T : class
    {
        if (context.Request.ContentLength > limitBytes)
            throw ErrorResponses.TooLarge(limitBytes);
        try
        {
            return await JsonSerializer.DeserializeAsync(context.Request.Body, type, context.RequestAborted)
                ?? throw OpenAiException.BadRequest("The request body must be a JSON object.");
        }
        catch (JsonException ex)
        {
            throw OpenAiException.BadRequest($"The request body is not valid JSON for this endpoint: {ex.Message}");
        }
        catch (InvalidOperationException ex) when (ex is not ObjectDisposedException)
        {
            // System.Text.Json's "Cannot transcode invalid UTF-8" and invalid-surrogate errors in a string-typed field.
            throw OpenAiException.BadRequest($"The request body is not valid JSON text for this endpoint: {ex.Message}", code: "invalid_text");
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw ErrorResponses.TooLarge(limitBytes);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status408RequestTimeout)
        {
            throw ErrorResponses.BodyTimeout();
        }
        catch (BadHttpRequestException ex)
        {
            throw new OpenAiException(ex.StatusCode is >= 400 and < 500 ? ex.StatusCode : 400, $"The request body could not be read: {ex.Message}", code: "bad_request_body");
        }
    }
}
