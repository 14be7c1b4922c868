using LlmBench.Engine.Loading;
using LlmBench.Engine.Models;
using LlmBench.Text.Tokenization;

namespace LlmBench.Cli;

/// <summary>
/// Finds the tokenizer `bench serve` counts prompt tokens with (--tokenizer, else --model), in the order the
/// model loader resolves names: a directory (its tokenizer.json, or Qwen3's when its config's vocabulary covers
/// Qwen3's), a repo id downloaded to the Hugging Face cache, then a preset or any Qwen repo id, which all share
/// the Qwen3 tokenizer built into the product.
/// </summary>
internal static class BenchTokenizer
{
    /// <returns>The tokenizer and the exclusive upper bound of its ordinary (non-special) ids.</returns>
    public static (ITextTokenizer Tokenizer, int OrdinaryIdLimit) Load(string nameOrPath) =>
        Load(nameOrPath, HuggingFaceEnvironment.FromProcess());

    public static (ITextTokenizer Tokenizer, int OrdinaryIdLimit) Load(string nameOrPath, HuggingFaceEnvironment environment)
    {
        var tokenizer = Find(nameOrPath.Trim(), environment);
        return (tokenizer, OrdinaryIdLimit(tokenizer));
    }

    private static ByteLevelBpeTokenizer Find(string name, HuggingFaceEnvironment environment)
    {
        if (File.Exists(name) && Path.GetFileName(name) == TokenizerLoader.TokenizerFile)
            return TokenizerLoader.FromDirectory(Path.GetDirectoryName(Path.GetFullPath(name))!);
        if (Directory.Exists(name))
            return FromModelDirectory(name);

        var hub = environment.HubCacheDirectory;
        var preset = ModelPresets.Find(name);
        var repoId = HuggingFaceCache.IsRepoId(name) ? name : preset?.RepoId;
        if (repoId is not null && hub is not null && HuggingFaceCache.FindSnapshot(hub, repoId) is { } snapshot
            && File.Exists(Path.Combine(snapshot, TokenizerLoader.TokenizerFile)))
            return TokenizerLoader.FromDirectory(snapshot);

        // Qwen2, Qwen2.5 and Qwen3 share one byte-level vocabulary; only Qwen3's ships with the product.
        if (preset is not null || name.StartsWith("Qwen/", StringComparison.OrdinalIgnoreCase))
            return TokenizerLoader.Qwen3;

        throw new UserErrorException(
            $"No tokenizer for \"{name}\": pass --tokenizer with a model directory that holds tokenizer.json, a repo id downloaded to "
            + $"{hub ?? "the Hugging Face cache"}, or a Qwen model ({ModelPresets.NameList}, Qwen/…), whose tokenizer is built in.");
    }

    private static ByteLevelBpeTokenizer FromModelDirectory(string directory)
    {
        if (File.Exists(Path.Combine(directory, TokenizerLoader.TokenizerFile)))
            return TokenizerLoader.FromDirectory(directory);
        if (File.Exists(Path.Combine(directory, "config.json"))
            && TokenizerLoader.ForModel(directory, ModelConfigReader.ReadDirectory(directory).VocabSize) is { } builtIn)
            return builtIn;
        throw new UserErrorException(
            $"{directory} has no tokenizer.json (and no config.json whose vocabulary covers the built-in Qwen3 tokenizer's); pass --tokenizer with one that does.");
    }

    /// <summary>Random prompts draw from ids below the first special token, as vLLM's random dataset draws from the ordinary vocabulary.</summary>
    private static int OrdinaryIdLimit(ByteLevelBpeTokenizer tokenizer) =>
        tokenizer.AddedTokens.Where(t => t.Special).Select(t => t.Id).DefaultIfEmpty(tokenizer.VocabSize).Min();
}
