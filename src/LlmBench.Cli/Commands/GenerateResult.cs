using System.Text.Json.Serialization;
using LlmBench.Engine.Api;

namespace LlmBench.Cli;

/// <summary>`llmbench generate --json`: one object on one line (for jq and scripts), snake_case keys.</summary>
internal sealed record GenerateResult(
    int[] PromptIds,
    int[] OutputIds,
    string? Text,
    string FinishReason,
    string Model,
    string Device,
    bool DummyWeights,
    GenerateTimings Timings)
{
    public static GenerateResult From(OpenedEngine opened, int[] promptIds, GenerationOutcome outcome) => new(
        promptIds,
        outcome.OutputIds,
        outcome.Text,
        FinishReasonName(outcome.Finish),
        opened.Model.Name,
        opened.DeviceDescription,
        opened.Model.IsDummy,
        new GenerateTimings(
            opened.StartupTime.TotalMilliseconds,
            outcome.TtftMs,
            outcome.DecodeTokensPerSecond,
            outcome.TotalMs));

    /// <summary>OpenAI's words: "stop" (EOS, stop token or stop string), "length", "abort".</summary>
    public static string FinishReasonName(FinishReason reason) => reason switch
    {
        Engine.Api.FinishReason.Stop => "stop",
        Engine.Api.FinishReason.Length => "length",
        _ => "abort",
    };
}

/// <param name="StartupMs">Model load and engine creation.</param>
/// <param name="TtftMs">Request queued → first output token.</param>
/// <param name="DecodeTokensPerSecond">Output tokens after the first / time from the first to the last; null below two tokens.</param>
/// <param name="TotalMs">Request queued → last output token (startup not included).</param>
internal sealed record GenerateTimings(double StartupMs, double TtftMs, double? DecodeTokensPerSecond, double TotalMs);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(GenerateResult))]
internal sealed partial class GenerateJsonContext : JsonSerializerContext;
