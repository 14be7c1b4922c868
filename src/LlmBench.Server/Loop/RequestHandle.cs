using System.Threading.Channels;
using LlmBench.Engine.Api;

namespace LlmBench.Server.Loop;

/// <summary>
/// One request's side of the engine loop: the loop writes its token events here, the HTTP handler
/// reads them. A request the engine refused completes the channel with that error.
/// </summary>
public sealed class RequestHandle
{
    private readonly Channel<TokenEvent> _events = Channel.CreateUnbounded<TokenEvent>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true, AllowSynchronousContinuations = false });

    public RequestHandle(GenerationRequest request) => Request = request;

    public GenerationRequest Request { get; }
    public string Id => Request.Id;
    public ChannelReader<TokenEvent> Events => _events.Reader;

    internal bool TryDeliver(TokenEvent tokenEvent)
    {
        var written = _events.Writer.TryWrite(tokenEvent);
        if (tokenEvent.IsFinal)
            _events.Writer.TryComplete();
        return written;
    }

    internal void Fail(Exception error) => _events.Writer.TryComplete(error);
}
