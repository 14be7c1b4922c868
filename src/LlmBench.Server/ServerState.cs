using LlmBench.Server.Loop;
using LlmBench.Server.Metrics;
using LlmBench.Server.Protocol;
using LlmBench.Text.Tokenization;

namespace LlmBench.Server;

/// <summary>What every endpoint shares: options, the engine loop, the tokenizer (null: token ids only), request translation and metrics.</summary>
public sealed record ServerState(
    ServerOptions Options,
    EngineLoop Loop,
    ITextTokenizer? Tokenizer,
    RequestTranslator Translator,
    ServerMetrics Metrics,
    int MaxModelLength)
{
    public long StartedUnixSeconds { get; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
