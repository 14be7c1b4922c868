using System.CommandLine;

namespace LlmBench.Cli;

/// <summary>The engine of `latency` and `sweep`: the shared engine flags, with room for the largest batch to run at once.</summary>
internal static class LockstepEngine
{
    /// <summary>
    /// Binds the engine flags with --max-num-seqs at least <paramref name="largestBatch"/> (and --max-num-batched-tokens
    /// at least that), so a lockstep batch is never split; says so on stderr when a given value had to be raised.
    /// </summary>
    /// <param name="device">One GPU of `sweep --gpus` ("cuda:1"), over --device; null: as --device says.</param>
    public static EngineSpec Bind(EngineFlags flags, ParseResult p, int largestBatch, string? device = null)
    {
        var spec = flags.Bind(p, flags.Defaults with { MaxNumSeqs = Math.Max(flags.Defaults.MaxNumSeqs, largestBatch) }, device: device);
        var o = spec.Options;
        if (o.MaxNumSeqs >= largestBatch)
            return spec;
        Console.Error.WriteLine($"note: --max-num-seqs raised from {o.MaxNumSeqs} to {largestBatch}, the largest batch, so that every batch runs at once{(o.MaxNumBatchedTokens < largestBatch ? $"; --max-num-batched-tokens from {o.MaxNumBatchedTokens} to {largestBatch}" : "")}.");
        return spec with { Options = (o with { MaxNumSeqs = largestBatch, MaxNumBatchedTokens = Math.Max(o.MaxNumBatchedTokens, largestBatch) }).Validate() };
    }

    /// <summary>"llmbench", or "llmbench-eager" with --enforce-eager.</summary>
    public static string Backend(EngineSpec spec) => spec.Options.EnforceEager ? "llmbench-eager" : "llmbench";
}
