using LlmBench.Server.Dispatch;
using LlmBench.Server.Metrics;
using LlmBench.Server.Protocol;
using LlmBench.Text.Tokenization;

namespace LlmBench.Server;

/// <summary>What every endpoint shares: options, the engines (one loop each), the tokenizer (null: token ids only), request translation, metrics and the engine's limits.</summary>
/// <param name="MaxNumSeqs">Each engine's running batch; with <see cref="ServerOptions.MaxWaiting"/> it bounds the requests in flight on each engine.</param>
public sealed record ServerState(
    ServerOptions Options,
    EnginePool Engines,
    ITextTokenizer? Tokenizer,
    RequestTranslator Translator,
    ServerMetrics Metrics,
    int MaxModelLength,
    int MaxNumSeqs)
{
    public long StartedUnixSeconds { get; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
