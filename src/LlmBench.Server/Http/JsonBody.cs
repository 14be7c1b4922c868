using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace LlmBench.Server.Http;

/// <summary>Reads a request body with source-generated JSON, mapping malformed JSON to 400 and oversized bodies to 413.</summary>
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
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw ErrorResponses.TooLarge(limitBytes);
        }
    }
}
