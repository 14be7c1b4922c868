using LlmBench.Engine;
using LlmBench.Engine.Api;
using LlmBench.Engine.Tokenization;
using LlmBench.Server;

namespace LlmBench.Cli;

/// <summary>An engine ready to serve, with the tokenizer and vocabulary the server validates requests against.</summary>
internal sealed record ServedEngine(IInferenceEngine Engine, ITextTokenizer Tokenizer, int VocabularySize, string Description) : IDisposable
{
    public void Dispose() => Engine.Dispose();
}

/// <summary>
/// Server start-up: resolves the model, loads its tokenizer and creates the engine for --device. The
/// model loader, tokenizer and engines come from the Loading/Tokenization/engine branches; until they
/// are merged this says so rather than starting a server that cannot generate.
/// </summary>
internal static class ServeEngineFactory
{
    public static ServedEngine Create(string model, string loadFormat, ServerOptions options) =>
        throw new UserErrorException($"Cannot serve '{model}' (--load-format {loadFormat}, --device {options.Device}): this build has no engine yet.");
}
