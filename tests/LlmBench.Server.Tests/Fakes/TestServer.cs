using LlmBench.Server;

namespace LlmBench.Server.Tests.Fakes;

/// <summary>An <see cref="LlmServer"/> on 127.0.0.1 port 0 over a <see cref="ScriptedEngine"/>, with an HttpClient pointed at it.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    public const string Model = "test-model";

    private TestServer(LlmServer server, ScriptedEngine engine)
    {
        Server = server;
        Engine = engine;
        Http = new HttpClient { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public LlmServer Server { get; }
    public ScriptedEngine Engine { get; }
    public HttpClient Http { get; }

    public static async Task<TestServer> StartAsync(ScriptedEngine? engine = null, Func<ServerOptions, ServerOptions>? configure = null, int maxNumSeqs = 256)
    {
        engine ??= new ScriptedEngine();
        var options = new ServerOptions { ServedModelName = Model, Port = 0 };
        options = configure?.Invoke(options) ?? options;
        var server = LlmServer.Create(options, engine, new WordTokenizer(), WordTokenizer.VocabularySize, maxNumSeqs);
        await server.StartAsync(TestContext.Current.CancellationToken);
        return new TestServer(server, engine);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        Engine.Dispose();
    }
}
