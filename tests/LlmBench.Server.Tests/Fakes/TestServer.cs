using LlmBench.Server;

namespace LlmBench.Server.Tests.Fakes;

/// <summary>An <see cref="LlmServer"/> on 127.0.0.1 port 0 over one <see cref="ScriptedEngine"/> or several (data parallel), with an HttpClient pointed at it.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    public const string Model = "test-model";

    private TestServer(LlmServer server, IReadOnlyList<ScriptedEngine> engines)
    {
        Server = server;
        Engines = engines;
        Http = new HttpClient { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public LlmServer Server { get; }
    public ScriptedEngine Engine => Engines[0];
    public IReadOnlyList<ScriptedEngine> Engines { get; }
    public HttpClient Http { get; }

    public static Task<TestServer> StartAsync(ScriptedEngine? engine = null, Func<ServerOptions, ServerOptions>? configure = null, int maxNumSeqs = 256) =>
        StartAsync([engine ?? new ScriptedEngine()], configure, maxNumSeqs);

    public static async Task<TestServer> StartAsync(IReadOnlyList<ScriptedEngine> engines, Func<ServerOptions, ServerOptions>? configure = null, int maxNumSeqs = 256)
    {
        var options = new ServerOptions { ServedModelName = Model, Port = 0 };
        options = configure?.Invoke(options) ?? options;
        var server = LlmServer.Create(options, engines, new WordTokenizer(), WordTokenizer.VocabularySize, maxNumSeqs);
        await server.StartAsync(TestContext.Current.CancellationToken);
        return new TestServer(server, engines);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        foreach (var engine in Engines)
            engine.Dispose();
    }
}
