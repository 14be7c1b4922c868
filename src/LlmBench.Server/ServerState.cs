using LlmBench.Server.Loop;
using LlmBench.Server.Metrics;
using LlmBench.Server.Protocol;
using LlmBench.Text.Tokenization;

namespace LlmBench.Server;

/// <summary>What every endpoint shares: options, the engine loop, the tokenizer (null: token ids only), request translation, metrics and the engine's limits.</summary>
/// <param name="MaxNumSeqs">The engine's running batch; with <see cref="ServerOptions.MaxWaiting"/> it bounds the requests in flight.</param>
public sealed record ServerState(
    ServerOptions Options,
    EngineLoop Loop,
    ITextTokenizer? Tokenizer,
    RequestTranslator Translator,
    ServerMetrics Metrics,
    int MaxModelLength,
    int MaxNumSeqs)
{
    public long StartedUnixSeconds { get; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
