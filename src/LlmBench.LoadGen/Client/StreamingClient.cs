using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace LlmBench.LoadGen.Client;

/// <summary>
/// Sends prepared requests and reads their SSE streams. One HttpClient over a SocketsHttpHandler whose
/// connection limit matches the concurrency, so connections are reused and never queue inside the
/// handler; the response body is read into a pooled buffer and parsed in place, and the clock is read
/// once per read, when the bytes arrive.
/// </summary>
public sealed class StreamingClient : IDisposable
{
    private const int ReadBufferBytes = 16 * 1024;
    private const int MaxErrorBodyBytes = 8 * 1024;

    private readonly HttpClient _http;
    private readonly Uri _apiUrl;
    private readonly AuthenticationHeaderValue? _auth;
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");

    private readonly IReadOnlyList<KeyValuePair<string, string>> _headers;

    /// <param name="headers">--header KEY=VALUE pairs sent with every request; as in vLLM they override the API key's
    /// Authorization and are overridden by x-request-id.</param>
    public StreamingClient(Uri apiUrl, string? apiKey, int maxConnections, IReadOnlyList<KeyValuePair<string, string>>? headers = null)
    {
        _apiUrl = apiUrl;
        _headers = headers ?? [];
        _auth = string.IsNullOrEmpty(apiKey) ? null : new AuthenticationHeaderValue("Bearer", apiKey);
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(1, maxConnections),
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(30),
        };
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = TimeSpan.FromHours(6) };
    }

    /// <summary>Sends one request and reads its whole stream; never throws for a server's fault, only for cancellation.</summary>
    public async Task<RequestTiming> SendAsync(int index, string requestId, PreparedRequest request, long dueTicks, long readyTicks, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, _apiUrl);
        message.Content = new ByteArrayContent(request.Body);
        message.Content.Headers.ContentType = JsonType;
        message.Headers.Authorization = _auth;
        foreach (var (name, value) in _headers)
        {
            message.Headers.Remove(name);
            message.Headers.TryAddWithoutValidation(name, value);
        }

        message.Headers.Remove("x-request-id");
        message.Headers.TryAddWithoutValidation("x-request-id", requestId);
        using var state = new StreamState();
        var sendTicks = Stopwatch.GetTimestamp();
        string? error;
        try
        {
            error = await ExchangeAsync(message, state, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            error = $"connection failed: {ex.Message}";
        }
        catch (IOException ex)
        {
            error = $"the connection broke mid-stream: {ex.Message}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            error = "timed out";
        }

        return new RequestTiming
        {
            Index = index,
            SendTicks = sendTicks,
            EndTicks = Stopwatch.GetTimestamp(),
            DueTicks = dueTicks,
            ReadyTicks = readyTicks,
            ChunkTicks = state.ChunkTicks(),
            CompletionTokens = state.CompletionTokens,
            GeneratedText = state.Text(),
            Error = error,
        };
    }

    private async Task<string?> ExchangeAsync(HttpRequestMessage message, StreamState state, CancellationToken cancellationToken)
    {
        using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferBytes);
        try
        {
            if (!response.IsSuccessStatusCode)
                return $"HTTP {(int)response.StatusCode}: {await ReadErrorAsync(body, buffer, cancellationToken)}";

            using var parser = new SseParser();
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(), cancellationToken)) > 0)
            {
                state.ArrivalTicks = Stopwatch.GetTimestamp();
                parser.Feed(buffer.AsSpan(0, read), state);
            }

            parser.Complete(state);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (state.Error is not null)
            return state.Error;
        if (state.ChunkCount == 0)
            return "the stream carried no chunk with choices";
        return state.SawDone ? null : "the stream ended without data: [DONE]";
    }

    private static async Task<string> ReadErrorAsync(Stream body, byte[] buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        int read;
        while (length < MaxErrorBodyBytes && (read = await body.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, MaxErrorBodyBytes) - length), cancellationToken)) > 0)
            length += read;
        return ErrorText.Describe(buffer.AsSpan(0, length));
    }

    public void Dispose() => _http.Dispose();
}
