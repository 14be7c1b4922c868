using System.Net.Http.Headers;
using System.Text.Json;

namespace LlmBench.LoadGen.Client;

/// <summary>A model a server lists: the name requests send, and its "root" (what it was opened from: a repo id or a path), as vLLM lists them.</summary>
public sealed record ServedModel(string Id, string? Root);

/// <summary>Asks a server which models it serves (GET /v1/models), as vLLM does when --model is not given or names no local tokenizer.</summary>
public static class ModelDiscovery
{
    public static async Task<string> FirstModelAsync(Uri baseUrl, string? apiKey, CancellationToken cancellationToken,
        IReadOnlyList<KeyValuePair<string, string>>? headers = null) =>
        (await ListAsync(baseUrl, apiKey, cancellationToken, headers))[0].Id;

    /// <summary>The server's models, at least one; every failure is a <see cref="UserErrorException"/> of one sentence.</summary>
    public static async Task<IReadOnlyList<ServedModel>> ListAsync(Uri baseUrl, string? apiKey, CancellationToken cancellationToken,
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
            var models = new List<ServedModel>();
            if (doc.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
            {
                foreach (var entry in data.EnumerateArray())
                {
                    if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                        && id.GetString() is { Length: > 0 } name)
                        models.Add(new ServedModel(name, entry.TryGetProperty("root", out var root) && root.ValueKind == JsonValueKind.String ? root.GetString() : null));
                }
            }

            return models.Count > 0 ? models : throw new UserErrorException($"{url} lists no model; give --model explicitly.");
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
