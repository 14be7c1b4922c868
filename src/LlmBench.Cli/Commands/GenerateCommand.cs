using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using LlmBench.Engine;
using LlmBench.Engine.Api;

namespace LlmBench.Cli;

/// <summary>
/// `llmbench generate`: one prompt through the engine, text out. Streams text when stdout is a terminal, prints it
/// at the end otherwise, or prints one JSON object with --json. Notes (dummy weights, CPU fallback) and the
/// timing summary go to stderr so that stdout holds only the output.
/// </summary>
internal static class GenerateCommand
{
    /// <summary>One request at a time: the KV cache is sized for one sequence of the model's length.</summary>
    private static readonly EngineFlags Engine = new(EngineDefaults.Standard with { MaxNumSeqs = 1 });
    private static readonly Option<string?> Prompt = new("--prompt") { Description = "The prompt as text (needs the model's tokenizer)." };
    private static readonly Option<string?> PromptIds = new("--prompt-ids") { Description = "The prompt as token ids, comma-separated: 1,2,3." };
    private static readonly Option<bool> Chat = new("--chat") { Description = "Wrap --prompt in the model's chat template as one user turn." };
    private static readonly Option<int> MaxTokens = new("--max-tokens") { Description = "Most tokens to generate.", DefaultValueFactory = _ => 16 };
    private static readonly Option<float> Temperature = new("--temperature") { Description = "0 is greedy; higher is more random.", DefaultValueFactory = _ => 1.0f };
    private static readonly Option<float> TopP = new("--top-p") { Description = "Nucleus sampling mass in (0, 1]; 1 disables it.", DefaultValueFactory = _ => 1.0f };
    private static readonly Option<int> TopK = new("--top-k") { Description = "Sample among the k most likely tokens; 0 or -1 disables it." };
    private static readonly Option<bool> IgnoreEos = new("--ignore-eos") { Description = "Keep generating after the end-of-sequence token (until --max-tokens)." };
    private static readonly Option<string[]> Stop = new("--stop") { Description = "Text that ends generation (not included in the output); repeat for several." };
    private static readonly Option<bool> Json = new("--json") { Description = "Print one JSON object: prompt_ids, output_ids, text, finish_reason, model, device, dummy_weights, timings." };

    public static Command Create()
    {
        var command = new Command("generate", "Generate text for one prompt with the built-in engine.");
        Engine.AddTo(command);
        Option[] options = [Prompt, PromptIds, Chat, MaxTokens, Temperature, TopP, TopK, IgnoreEos, Stop, Json];
        foreach (var option in options)
            command.Options.Add(option);
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(ct => RunAsync(parseResult, ct), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult p, CancellationToken cancellationToken)
    {
        // Everything that needs no model is checked first, so that a typo costs no load time.
        var prompt = GeneratePrompt.FromFlags(p.GetValue(Prompt), p.GetValue(PromptIds), p.GetValue(Chat));
        var sampling = Sampling(p);
        var spec = Engine.Bind(p);
        bool json = p.GetValue(Json);

        using var opened = EngineHost.Open(spec);
        if (sampling.StopStrings.Count > 0 && opened.Tokenizer is null)
            throw new UserErrorException($"--stop matches text, and {opened.Model.Name} has no tokenizer to make text with; leave out --stop.");
        var promptIds = prompt.Tokenize(opened.Tokenizer, opened.Model.Name);
        int maxModelLength = opened.Engine.MaxModelLength;
        if (promptIds.Length >= maxModelLength)
            throw new UserErrorException(
                $"The prompt has {promptIds.Length} tokens but {opened.Model.Name} runs at most {maxModelLength} tokens (prompt plus output); shorten the prompt.");
        var generation = Queue(opened, promptIds, sampling);
        // Only once nothing can fail any more, so that a mistake stays one line.
        await WriteNotesAsync(opened);

        bool stream = !json && !Console.IsOutputRedirected && opened.Tokenizer is not null;
        var stdout = Console.Out;
        Action<string>? onText = stream ? piece => { stdout.Write(piece); stdout.Flush(); } : null;
        GenerationOutcome outcome;
        try
        {
            // On a worker, so that the command's task is pending while the engine steps and Ctrl-C can cancel it.
            outcome = await Task.Run(() => generation.Run(onText, cancellationToken), CancellationToken.None);
        }
        catch (OperationCanceledException) when (stream)
        {
            await stdout.WriteLineAsync();
            throw;
        }

        if (json)
            await stdout.WriteLineAsync(JsonSerializer.Serialize(GenerateResult.From(opened, promptIds, outcome), GenerateJsonContext.Default.GenerateResult));
        else if (stream)
            await stdout.WriteLineAsync();
        else
            await stdout.WriteLineAsync(outcome.Text ?? string.Join(',', outcome.OutputIds));
        if (!json)
            await Console.Error.WriteLineAsync(Summary(opened, promptIds.Length, outcome));
        return 0;
    }

    private static SingleGeneration Queue(OpenedEngine opened, int[] promptIds, SamplingParams sampling)
    {
        try
        {
            return new SingleGeneration(opened.Engine, opened.Tokenizer, promptIds, sampling);
        }
        catch (ArgumentException ex) when (ex.GetType() == typeof(ArgumentException))
        {
            // The engine's request validation, e.g. a token id outside the vocabulary; the parameter name means nothing to a person.
            var sentence = ex.ParamName is null ? ex.Message : ex.Message.Replace($" (Parameter '{ex.ParamName}')", "", StringComparison.Ordinal);
            throw new UserErrorException(sentence, ex);
        }
    }

    private static SamplingParams Sampling(ParseResult p)
    {
        var sampling = new SamplingParams
        {
            MaxTokens = p.GetValue(MaxTokens),
            Temperature = p.GetValue(Temperature),
            TopP = p.GetValue(TopP),
            TopK = p.GetValue(TopK),
            Seed = p.GetValue(Engine.Seed),
            IgnoreEos = p.GetValue(IgnoreEos),
            StopStrings = p.GetValue(Stop) ?? [],
        };
        try
        {
            sampling.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new UserErrorException($"Invalid sampling option: {ex.Message}", ex);
        }
        if (sampling.StopStrings.Any(s => s.Length == 0))
            throw new UserErrorException("--stop was given an empty string; give the text that should end generation.");
        return sampling;
    }

    /// <summary>Choices made for the user go to stderr in plain words, before any output.</summary>
    private static async Task WriteNotesAsync(OpenedEngine opened)
    {
        if (opened.Model.Notice is { } notice)
            await Console.Error.WriteLineAsync($"note: {notice}");
        if (opened.Model.IsDummy)
            await Console.Error.WriteLineAsync($"note: dummy weights: {opened.Model.Name} runs with seeded random weights, so its text means nothing (the timings are real).");
        if (opened.FallbackReason is { } reason)
            await Console.Error.WriteLineAsync($"note: no GPU engine ({reason}): running on the CPU engine, {opened.DeviceDescription}.");
    }

    private static string Summary(OpenedEngine opened, int promptTokens, GenerationOutcome outcome)
    {
        var decode = outcome.DecodeTokensPerSecond is { } rate ? rate.ToString("F1", CultureInfo.InvariantCulture) + " tok/s" : "n/a";
        return string.Create(CultureInfo.InvariantCulture,
            $"{promptTokens} prompt + {outcome.OutputIds.Length} output tokens, finish {GenerateResult.FinishReasonName(outcome.Finish)}; " +
            $"startup {opened.StartupTime.TotalMilliseconds:F0} ms, TTFT {outcome.TtftMs:F1} ms, decode {decode}, total {outcome.TotalMs:F0} ms; " +
            $"{opened.Model.Name}{(opened.Model.IsDummy ? " (dummy weights)" : "")} on {opened.DeviceDescription}");
    }
}
