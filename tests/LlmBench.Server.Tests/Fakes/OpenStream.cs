using System.Net.Http.Json;

namespace LlmBench.Server.Tests.Fakes;

/// <summary>A long streamed completion held open: the server has sent its headers, so the request runs on its engine until the client leaves.</summary>
internal sealed class OpenStream : IAsyncDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly HttpResponseMessage _response;
    private bool _left;

    private OpenStream(CancellationTokenSource cts, HttpResponseMessage response)
    {
        _cts = cts;
        _response = response;
    }

    public static async Task<OpenStream> StartAsync(TestServer server)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/completions")
        {
            Content = JsonContent.Create(new { prompt = "t1", max_tokens = 2000, ignore_eos = true, stream = true }),
        };
        var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        response.EnsureSuccessStatusCode();
        return new OpenStream(cts, response);
    }

    /// <summary>The client leaves mid-stream (the connection is dropped); once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_left)
            return;
        _left = true;
        await _cts.CancelAsync();
        _response.Dispose();
        _cts.Dispose();
    }
}
