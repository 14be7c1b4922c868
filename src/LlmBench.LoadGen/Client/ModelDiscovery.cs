using System.Net.Http.Headers;
using System.Text.Json;

namespace LlmBench.LoadGen.Client;

/// <summary>Asks a server which model it serves (GET /v1/models, first entry), as vLLM does when --model is not given.</summary>
public static class ModelDiscovery
{
    public static async Task<string> FirstModelAsync(Uri baseUrl, string? apiKey, CancellationToken cancellationToken,
        IReadOnlyList<KeyValuePair<string, string>>? headers = null)
    {
        var url = new Uri(baseUrl, "/v1/models");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (!string.IsNullOrEmpty(apiKey))
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
                throw new UserErrorException($"{url} answered HTTP {(int)response.StatusCode}: {ErrorText.Describe(body)}; give --model explicitly or fix the server.");
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array
                && data.GetArrayLength() > 0 && data[0].TryGetProperty("id", out var id) && id.GetString() is { Length: > 0 } name)
                return name;
            throw new UserErrorException($"{url} lists no model; give --model explicitly.");
        }
        catch (HttpRequestException ex)
        {
            throw new UserErrorException($"Could not reach {url} ({ex.Message}); is the server running? Start one with --launch or check --base-url/--host/--port.", ex);
        }
        catch (JsonException ex)
        {
            throw new UserErrorException($"{url} did not answer with JSON; is it an OpenAI-compatible server?", ex);
        }
    }
}
