using System.Reflection;
using LlmBench.Text.Tokenization;

namespace LlmBench.LoadGen.Datasets;

/// <summary>
/// vLLM's sonnet dataset on our own public-domain text (Resources/sonnets.txt): every prompt is an
/// instruction followed by poem lines, the first lines shared by all prompts (the prefix, for prefix
/// caching) and the rest drawn at random, as many as fit the asked length on the mean line length.
/// The prompt length we report is the prompt as sent, encoded.
/// </summary>
public sealed class SonnetDataset
{
    public const string Instruction = "Pick as many lines as you can from these poem lines:\n";

    private readonly ITextTokenizer _tokenizer;
    private readonly string[] _lines;

    public SonnetDataset(ITextTokenizer tokenizer)
    {
        _tokenizer = tokenizer;
        _lines = LoadLines();
    }

    public static string[] LoadLines()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("LlmBench.LoadGen.sonnets.txt")
            ?? throw new InvalidOperationException("The sonnet text is missing from the assembly's resources.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l + "\n").ToArray();
    }

    public IReadOnlyList<BenchRequest> Sample(DatasetOptions options)
    {
        var instructionTokens = _tokenizer.Encode(Instruction).Length;
        if (options.SonnetInputLength <= instructionTokens)
            throw new ArgumentException($"--sonnet-input-len must exceed the instruction's {instructionTokens} tokens, got {options.SonnetInputLength}.");
        var meanLineTokens = _lines.Average(l => _tokenizer.Encode(l).Length);
        var inputLines = (int)Math.Round((options.SonnetInputLength - instructionTokens) / meanLineTokens);
        var prefixLines = Math.Max(0, (int)Math.Round((options.SonnetPrefixLength - instructionTokens) / meanLineTokens));
        prefixLines = Math.Min(prefixLines, Math.Min(inputLines, _lines.Length));
        var prefix = Instruction + string.Concat(_lines.Take(prefixLines));

        var rng = new Random(options.Seed);
        var requests = new BenchRequest[options.NumPrompts];
        for (int i = 0; i < requests.Length; i++)
        {
            var extra = Enumerable.Range(0, Math.Max(0, inputLines - prefixLines)).Select(_ => _lines[rng.Next(_lines.Length)]);
            var prompt = prefix + string.Concat(extra);
            requests[i] = new BenchRequest(prompt, _tokenizer.Encode(prompt).Length, options.SonnetOutputLength);
        }

        return requests;
    }
}
