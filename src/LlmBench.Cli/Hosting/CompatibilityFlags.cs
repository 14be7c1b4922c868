using System.CommandLine;

namespace LlmBench.Cli;

/// <summary>
/// vLLM flags that cannot apply to llmbench but appear in vLLM command lines: accepted, so those lines run unchanged,
/// and each noted in one line when given, never silently. Declared once; every command that vLLM gives them adds them.
/// </summary>
internal static class CompatibilityFlags
{
    public static readonly Option<bool> TrustRemoteCode = new("--trust-remote-code")
    {
        Description = "Accepted for vLLM command lines; no effect: llmbench runs no Python model code from the Hub (architectures are built in, tokenizers read from tokenizer.json).",
    };

    /// <summary>One line on <paramref name="log"/> for each such flag the command line gave.</summary>
    public static void NoteGiven(ParseResult p, TextWriter log)
    {
        if (p.GetResult(TrustRemoteCode) is { Implicit: false })
            log.WriteLine("note: --trust-remote-code has no effect here: llmbench runs no model code from the Hub (architectures are built in, tokenizers read from tokenizer.json).");
    }
}
